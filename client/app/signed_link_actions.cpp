#include "client/app/signed_link_actions.hpp"

#include "client/api/api_client.hpp"
#include "client/platform/page_bridge.hpp"

namespace cp::portal {
namespace {

constexpr const char* kPrefix = "/i/";

std::string api_base(const std::string& token) { return "/api/v1/public/invoices/" + token; }

// The answers that mean "no invoice here" get their own screen; anything else is an error
// drawn on the page as usual.
LinkProblem problem_of(int status) {
    if (status == 410) return LinkProblem::expired;
    if (status == 404) return LinkProblem::not_valid;
    if (status == 429) return LinkProblem::too_many_attempts;
    if (status == 0) return LinkProblem::unreachable;
    return LinkProblem::none;
}

}  // namespace

std::optional<std::string> signed_link_token(const std::string& path) {
    if (path.rfind(kPrefix, 0) != 0) return std::nullopt;
    std::string token = path.substr(3);
    if (!token.empty() && token.back() == '/') token.pop_back();
    if (token.empty() || token.size() > 128) return std::nullopt;
    for (char c : token) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) return std::nullopt;
    }
    return token;
}

void open_signed_link(AppState& state, const std::string& token) {
    state.screen = Screen::signed_link;
    state.link = {};
    state.link.token = token;
    state.link.loading = true;
    api_request("GET", api_base(token), "", "", [token](AppState& s, const ApiResult& r) {
        if (s.link.token != token) return;
        s.link.loading = false;
        auto j = parse_answer(r.body);
        if (r.status == 200 && j.is_object() && j.contains("invoice") && j["invoice"].is_object()) {
            s.link.view = std::move(j);
            s.link.problem = LinkProblem::none;
            return;
        }
        s.link.problem = problem_of(r.status);
        if (s.link.problem == LinkProblem::none) s.link.problem = LinkProblem::unreachable;
        s.link.problem_detail = error_from_api(r).message;
    });
    load_link_payments(state);
}

void load_link_payments(AppState& state) {
    const std::string token = state.link.token;
    api_request("GET", api_base(token) + "/payments", "", "", [token](AppState& s, const ApiResult& r) {
        if (s.link.token != token) return;
        auto j = parse_answer(r.body);
        if (r.status != 200 || !j.is_object() || !j.contains("data") || !j["data"].is_array()) return;
        s.link.payments = j["data"];
        s.link.payments_loaded = true;
    });
}

void pay_signed_link(AppState& state) {
    auto& link = state.link;
    if (link.pay.in_flight || !link.view.is_object()) return;
    const auto& inv = link.view["invoice"];
    auto body = client_payment_body(link.pay, inv.value("currency", ""), inv.value("balance_due", ""));
    link.pay.outcome.clear();
    link.pay.errors.clear();
    if (!body) {
        link.pay.errors.push_back(body.error());  // the core refused: nothing is sent
        return;
    }
    link.pay.in_flight = true;
    const std::string token = link.token;
    api_request("POST", api_base(token) + "/payments", body->dump(), "", [token](AppState& s, const ApiResult& r) {
        if (s.link.token != token) return;
        auto j = parse_answer(r.body);
        record_payment_outcome(s.link.pay, r.status, j, error_from_api(r));
        // The answer carries the invoice after the payment (without its lines, which a
        // payment does not change): its balance is shown at once.
        if (j.is_object() && j.contains("invoice") && j["invoice"].is_object()) {
            for (const auto& [key, value] : j["invoice"].items()) {
                if (key != "lines") s.link.view["invoice"][key] = value;
            }
        }
        if (r.status == 410 || r.status == 404) s.link.problem = problem_of(r.status);
        if (r.status == 409) s.link.view["payable"] = false;
        if (j.is_object() && j.contains("invoice") && j["invoice"].is_object()) {
            const std::string balance = j["invoice"].value("balance_due", "");
            s.link.view["payable"] = balance.find_first_not_of("0.") != std::string::npos;
        }
        load_link_payments(s);
    });
}

void download_link_pdf(AppState& state) {
    auto& link = state.link;
    if (link.download_id != 0 || !link.view.is_object()) return;
    const std::string number = link.view["invoice"].value("number", "invoice");
    link.download_note = "Preparing the PDF...";
    link.download_id = page::start_download(api_base(link.token) + "/pdf", "", number + ".pdf");
}

void poll_link_download(AppState& state) {
    auto& link = state.link;
    if (link.download_id == 0) return;
    const int status = page::download_status(link.download_id);
    if (status == 0) return;
    link.download_id = 0;
    const std::string number = link.view.is_object() ? link.view["invoice"].value("number", "invoice") : "invoice";
    if (status == 200) {
        link.download_note = "Saved " + number + ".pdf to your downloads.";
    } else if (status == 410 || status == 404) {
        link.problem = problem_of(status);
        link.download_note.clear();
    } else {
        link.download_note = "The PDF could not be downloaded (" +
                             std::string(status < 0 ? "no connection" : "HTTP " + std::to_string(status)) +
                             "). Try again in a moment.";
    }
}

}  // namespace cp::portal
