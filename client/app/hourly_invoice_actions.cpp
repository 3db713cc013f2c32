#include "client/app/hourly_invoice_actions.hpp"
#include "client/app/json_text.hpp"

#include <cmath>
#include <cstring>

#include "client/api/api_client.hpp"
#include "client/app/routes.hpp"
#include "client/app/staff_actions.hpp"
#include "client/platform/page_bridge.hpp"
#include "shared/time/civil.hpp"
#include "shared/validation/hourly_invoice_validation.hpp"

namespace cp::portal {
namespace {

nlohmann::json body_of(const HourlyInvoiceForm& f) {
    nlohmann::json body = {{"period_start", f.period_start.data()}, {"period_end", f.period_end.data()}};
    if (f.tax_rate[0] != '\0') body["tax_rate"] = f.tax_rate.data();
    return body;
}

}  // namespace

void open_hourly_invoice_form(AppState& state, const nlohmann::json& engagement) {
    auto& f = state.hourly;
    f = {};
    f.engagement_id = text_of(engagement, "id");
    f.engagement_name = text_of(engagement, "name");
    f.currency = text_of(engagement, "currency");
    // A preset the person edits: the UTC calendar day. The server bills what was approved
    // within the dates given, whatever the zone; entries are never dated in the future.
    const auto today = time::civil_from_days(static_cast<int64_t>(std::floor(page::now_ms() / 86400000.0)));
    set_text(f.period_start, time::format_iso_date({today.year, today.month, 1}));
    set_text(f.period_end, time::format_iso_date(today));
    judge_hourly_invoice(state);
}

void judge_hourly_invoice(AppState& state) {
    state.hourly.core_errors = validation::validate_hourly_invoice(body_of(state.hourly));
}

void create_hourly_invoice(AppState& state) {
    auto& f = state.hourly;
    f.touched = true;
    judge_hourly_invoice(state);
    if (f.engagement_id.empty() || f.in_flight || !f.core_errors.empty()) return;
    f.in_flight = true;
    f.server_errors.clear();
    const std::string id = f.engagement_id;
    api_request("POST", "/api/v1/engagements/" + id + "/hourly-invoice", body_of(f).dump(), state.session.token,
                [id](AppState& s, const ApiResult& r) {
                    if (s.hourly.engagement_id != id) return;
                    s.hourly.in_flight = false;
                    auto j = parse_answer(r.body);
                    if (r.status != 201 || !j.is_object()) {
                        s.hourly.server_errors = errors_of(r);
                        return;
                    }
                    s.hourly = {};
                    go_to_route(s, "#/invoices/" + text_of(j, "id"));
                });
}

}  // namespace cp::portal
