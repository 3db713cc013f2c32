#include "client/app/payment_failure_actions.hpp"
#include "client/app/json_text.hpp"

#include "client/api/api_client.hpp"
#include "client/app/staff_actions.hpp"
#include "client/app/zone_loader.hpp"
#include "shared/schedule/retry_schedule.hpp"
#include "shared/time/civil.hpp"

namespace cp::portal {
namespace {

const nlohmann::json& rows_of(const AppState& state, const std::string& name) {
    static const nlohmann::json none = nlohmann::json::array();
    auto it = state.staff.lists.find(name);
    return it == state.staff.lists.end() ? none : it->second.rows;
}

std::string client_zone(const AppState& state, const std::string& client_id) {
    for (const auto& c : rows_of(state, "clients")) {
        if (text_of(c, "id") == client_id) return text_of(c, "time_zone");
    }
    return {};
}

}  // namespace

void load_failures_and_alerts(AppState& state) {
    load_list(state, "failures", "/api/v1/payment-failures?limit=200");
    load_list(state, "alerts", "/api/v1/alerts?limit=200");
    state.staff.time.alert_notice.clear();
    state.staff.time.alert_error.reset();
}

std::string failure_invoice_number(const AppState& state, const std::string& invoice_id) {
    for (const auto& row : state.invoices.rows) {
        if (row.id == invoice_id && !row.number.empty()) return row.number;
    }
    auto known = state.staff.time.failure_numbers.find(invoice_id);
    return known != state.staff.time.failure_numbers.end() && !known->second.empty() ? known->second : invoice_id;
}

void fetch_failure_numbers(AppState& state) {
    for (const auto& f : rows_of(state, "failures")) {
        const std::string id = text_of(f, "invoice_id");
        if (id.empty() || failure_invoice_number(state, id) != id || state.staff.time.failure_numbers.count(id)) continue;
        state.staff.time.failure_numbers[id] = "";
        api_request("GET", "/api/v1/invoices/" + id, "", state.session.token, [id](AppState& s, const ApiResult& r) {
            auto j = parse_answer(r.body);
            if (r.status == 200) s.staff.time.failure_numbers[id] = text_of(j, "number");
        });
    }
}

void fetch_failure_zones(AppState& state) {
    for (const auto& f : rows_of(state, "failures")) ensure_zone(state, client_zone(state, text_of(f, "client_id")));
}

std::string client_local_time(const AppState& state, const std::string& client_id, const std::string& iso_instant) {
    auto z = state.staff.time.zones.find(client_zone(state, client_id));
    auto t = time::parse_iso_instant(iso_instant);
    if (z == state.staff.time.zones.end() || !t) return {};
    return local_text(z->second, *t);
}

RetryDates retry_dates_for(const AppState& state, const nlohmann::json& failure) {
    RetryDates out;
    const std::string zone_name = client_zone(state, text_of(failure, "client_id"));
    const auto clients = state.staff.lists.find("clients");
    if (zone_name.empty()) {
        out.loading = clients == state.staff.lists.end() || !clients->second.loaded;
        if (!out.loading) out.error = Error{"NOT_FOUND", "client_id", "the client is not in the list"};
        return out;
    }
    out.zone = zone_name;
    const auto& tw = state.staff.time;
    if (auto e = tw.zone_errors.find(zone_name); e != tw.zone_errors.end()) {
        out.error = e->second;
        return out;
    }
    auto z = tw.zones.find(zone_name);
    if (z == tw.zones.end()) {
        out.loading = true;
        return out;
    }
    // The schedule counts from the invoice's first failure (attempt 1).
    std::string first;
    for (const auto& f : rows_of(state, "failures")) {
        if (text_of(f, "invoice_id") == text_of(failure, "invoice_id") && f.value("attempt", 0) == 1) {
            first = text_of(f, "failed_at");
        }
    }
    auto first_at = time::parse_iso_instant(first);
    if (!first_at) {
        out.error = Error{"NOT_FOUND", "failed_at", "the invoice's first failure is not listed"};
        return out;
    }
    auto schedule = schedule::retry_schedule(*first_at, z->second);
    if (!schedule) {
        out.error = schedule.error();
        return out;
    }
    for (auto t : *schedule) out.dates.push_back(local_text(z->second, t));
    return out;
}

void acknowledge_alert(AppState& state, const std::string& alert_id) {
    auto& tw = state.staff.time;
    if (!tw.acking.empty()) return;
    tw.acking = alert_id;
    tw.alert_notice.clear();
    tw.alert_error.reset();
    api_request("POST", "/api/v1/alerts/" + alert_id + "/ack", "{}", state.session.token,
                [](AppState& s, const ApiResult& r) {
                    auto& t = s.staff.time;
                    t.acking.clear();
                    if (r.status != 200) {
                        t.alert_error = error_from_api(r);
                    } else {
                        t.alert_notice = "Acknowledged: " + text_of(parse_answer(r.body), "message");
                    }
                    load_list(s, "alerts", "/api/v1/alerts?limit=200");
                });
}

nlohmann::json failures_debug_state(const AppState& state) {
    const auto& tw = state.staff.time;
    nlohmann::json out = nlohmann::json::object();
    nlohmann::json failures = nlohmann::json::array();
    for (const auto& f : rows_of(state, "failures")) {
        const auto dates = retry_dates_for(state, f);
        failures.push_back({{"id", text_of(f, "id")}, {"invoice_id", text_of(f, "invoice_id")},
                            {"attempt", f.value("attempt", 0)}, {"zone", dates.zone}, {"retry_dates", dates.dates},
                            {"error", dates.error ? dates.error->code : ""}});
    }
    out["failures"] = failures;
    nlohmann::json alerts = nlohmann::json::array();
    for (const auto& a : rows_of(state, "alerts")) {
        alerts.push_back({{"id", text_of(a, "id")}, {"kind", text_of(a, "kind")},
                          {"acknowledged", a.contains("acknowledged_at") && a["acknowledged_at"].is_string()}});
    }
    out["alerts"] = alerts;
    out["alert_notice"] = tw.alert_notice;
    out["acking"] = tw.acking;
    return out;
}

}  // namespace cp::portal
