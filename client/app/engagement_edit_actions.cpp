#include "client/app/engagement_edit_actions.hpp"

#include "client/api/api_client.hpp"
#include "client/app/json_text.hpp"
#include "client/app/routes.hpp"
#include "client/app/staff_actions.hpp"
#include "shared/validation/engagement_changes.hpp"

namespace cp::portal {
namespace {

constexpr const char* kPricingModes[] = {"package", "hourly", "mixed"};
constexpr const char* kSchedules[] = {"monthly", "quarterly", "annual", "one_time"};

// The stored engagement in request form, as the server builds it for the same checks.
nlohmann::json stored_request(const nlohmann::json& e) {
    nlohmann::json out = nlohmann::json::object();
    for (const char* k : {"client_id", "name", "pricing_mode", "schedule", "start_date", "currency",
                          "payment_terms_days", "end_date", "package_fee", "hourly_rate"}) {
        if (e.contains(k) && !e[k].is_null()) out[k] = e[k];
    }
    return out;
}

// A whole number of days is sent as a number; anything else as typed, for the core to name.
nlohmann::json terms_value(const std::string& terms) {
    const bool digits = !terms.empty() && terms.size() <= 4 && terms.find_first_not_of("0123456789") == std::string::npos;
    return digits ? nlohmann::json(std::stoi(terms)) : nlohmann::json(terms);
}

void reset_renew_form(EngagementEdit& f) {
    f.renew_end = {};
    set_text(f.renew_fee, text_of(f.stored, "package_fee"));
    set_text(f.renew_rate, text_of(f.stored, "hourly_rate"));
    f.renew_server_errors.clear();
    validate_engagement_renewal(f);
}

void fill_form(EngagementEdit& f, const nlohmann::json& j) {
    f.stored = j;
    set_text(f.name, text_of(j, "name"));
    for (int i = 0; i < 3; ++i) {
        if (text_of(j, "pricing_mode") == kPricingModes[i]) f.pricing_index = i;
    }
    for (int i = 0; i < 4; ++i) {
        if (text_of(j, "schedule") == kSchedules[i]) f.schedule_index = i;
    }
    set_text(f.package_fee, text_of(j, "package_fee"));
    set_text(f.hourly_rate, text_of(j, "hourly_rate"));
    set_text(f.start_date, text_of(j, "start_date"));
    set_text(f.end_date, text_of(j, "end_date"));
    set_text(f.payment_terms, text_of(j, "payment_terms_days"));
    f.server_errors.clear();
    validate_engagement_edit(f);
    reset_renew_form(f);
}

}  // namespace

bool engagement_pricing_frozen(const EngagementEdit& edit) {
    return edit.stored.is_object() && edit.stored.value("pricing_frozen", false);
}

void load_engagement_edit(AppState& state, const std::string& id) {
    auto& f = state.staff.engagement_edit;
    f = {};
    f.id = id;
    f.loading = true;
    api_request("GET", "/api/v1/engagements/" + id, "", state.session.token, [id](AppState& s, const ApiResult& r) {
        auto& e = s.staff.engagement_edit;
        if (e.id != id) return;
        e.loading = false;
        auto j = parse_answer(r.body);
        if (r.status != 200 || !j.is_object()) {
            e.load_error = error_from_api(r);
            return;
        }
        fill_form(e, j);
    });
}

nlohmann::json engagement_edit_changes(const EngagementEdit& f) {
    nlohmann::json changes = nlohmann::json::object();
    const auto& st = f.stored;
    auto differs = [&](const char* key, const std::string& now) { return now != text_of(st, key); };
    if (differs("name", str(f.name))) changes["name"] = str(f.name);
    // An end date is changed, never removed here (the API keeps one once set).
    if (!str(f.end_date).empty() && differs("end_date", str(f.end_date))) changes["end_date"] = str(f.end_date);
    if (engagement_pricing_frozen(f)) return changes;  // the rest is shown, not sent
    const std::string mode = kPricingModes[f.pricing_index];
    if (differs("pricing_mode", mode)) changes["pricing_mode"] = mode;
    if (differs("schedule", kSchedules[f.schedule_index])) changes["schedule"] = kSchedules[f.schedule_index];
    if (mode != "hourly" && differs("package_fee", str(f.package_fee))) changes["package_fee"] = str(f.package_fee);
    if (mode != "package" && differs("hourly_rate", str(f.hourly_rate))) changes["hourly_rate"] = str(f.hourly_rate);
    if (differs("start_date", str(f.start_date))) changes["start_date"] = str(f.start_date);
    if (differs("payment_terms_days", str(f.payment_terms))) changes["payment_terms_days"] = terms_value(str(f.payment_terms));
    return changes;
}

void validate_engagement_edit(EngagementEdit& f) {
    f.core_errors = validation::check_engagement_update(stored_request(f.stored), engagement_edit_changes(f),
                                                        engagement_pricing_frozen(f))
                        .errors;
}

void save_engagement_edit(AppState& state) {
    auto& f = state.staff.engagement_edit;
    validate_engagement_edit(f);
    f.server_errors.clear();
    f.notice.clear();
    const auto changes = engagement_edit_changes(f);
    if (!f.core_errors.empty() || f.saving) return;
    if (changes.empty()) {
        f.notice = "Nothing changed.";
        return;
    }
    f.saving = true;
    const std::string id = f.id;
    api_request("PATCH", "/api/v1/engagements/" + id, changes.dump(), state.session.token,
                [id](AppState& s, const ApiResult& r) {
                    auto& e = s.staff.engagement_edit;
                    if (e.id != id) return;
                    e.saving = false;
                    auto j = parse_answer(r.body);
                    if (r.status != 200 || !j.is_object()) {
                        e.server_errors = errors_of(r);
                        return;
                    }
                    // The PATCH answer lacks pricing_frozen: keep what the GET said.
                    j["pricing_frozen"] = engagement_pricing_frozen(e);
                    fill_form(e, j);
                    e.notice = "Saved " + text_of(j, "name") + ".";
                });
}

nlohmann::json engagement_renew_body(const EngagementEdit& f) {
    nlohmann::json body = nlohmann::json::object();
    if (!str(f.renew_end).empty()) body["end_date"] = str(f.renew_end);
    const std::string mode = text_of(f.stored, "pricing_mode");
    if (mode != "hourly" && str(f.renew_fee) != text_of(f.stored, "package_fee")) body["package_fee"] = str(f.renew_fee);
    if (mode != "package" && str(f.renew_rate) != text_of(f.stored, "hourly_rate")) body["hourly_rate"] = str(f.renew_rate);
    return body;
}

void validate_engagement_renewal(EngagementEdit& f) {
    auto checked = validation::check_engagement_renewal(stored_request(f.stored), engagement_renew_body(f));
    f.renew_core_errors = checked.errors;
    f.renewal = checked.errors.empty() ? checked.merged : nlohmann::json();
}

void renew_open_engagement(AppState& state) {
    auto& f = state.staff.engagement_edit;
    validate_engagement_renewal(f);
    f.renew_server_errors.clear();
    f.notice.clear();
    if (!f.renew_core_errors.empty() || f.renewing) return;
    f.renewing = true;
    const std::string id = f.id;
    api_request("POST", "/api/v1/engagements/" + id + "/renew", engagement_renew_body(f).dump(), state.session.token,
                [id](AppState& s, const ApiResult& r) {
                    auto& e = s.staff.engagement_edit;
                    if (e.id != id) return;
                    e.renewing = false;
                    auto j = parse_answer(r.body);
                    if (r.status != 201 || !j.is_object()) {
                        e.renew_server_errors = errors_of(r);
                        return;
                    }
                    const std::string notice = "Renewed as version " + text_of(j, "version") + ", " +
                                               text_of(j, "start_date") + " to " + text_of(j, "end_date") + ".";
                    go_to_route(s, "#/engagements/" + text_of(j, "id"));
                    s.staff.engagement_edit.notice = notice;
                });
}

nlohmann::json engagement_edit_debug(const EngagementEdit& f) {
    return {{"id", f.id},
            {"loaded", f.stored.is_object()},
            {"frozen", engagement_pricing_frozen(f)},
            {"status", text_of(f.stored, "status")},
            {"version", text_of(f.stored, "version")},
            {"saving", f.saving},
            {"renewing", f.renewing},
            {"changes", engagement_edit_changes(f)},
            {"shown_errors", f.shown_errors},
            {"renew_shown_errors", f.renew_shown_errors},
            {"renewal", f.renewal},
            {"notice", f.notice}};
}

}  // namespace cp::portal
