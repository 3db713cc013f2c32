#include "client/app/staff_actions.hpp"
#include "client/app/json_text.hpp"

#include <cstdio>
#include <cstring>

#include "client/api/api_client.hpp"
#include "client/app/break_glass_sessions.hpp"
#include "client/app/crm_actions.hpp"
#include "client/app/engagement_edit_actions.hpp"
#include "client/app/payment_failure_actions.hpp"
#include "client/app/routes.hpp"
#include "client/app/time_actions.hpp"
#include "client/platform/page_bridge.hpp"
#include "shared/money/currency.hpp"
#include "shared/money/decimal.hpp"
#include "shared/time/civil.hpp"
#include "shared/validation/client_validation.hpp"
#include "shared/validation/engagement_validation.hpp"
#include "shared/validation/membership_validation.hpp"

namespace cp::portal {
namespace {

constexpr const char* kClientStatuses[] = {"active", "inactive", "terminated"};
constexpr const char* kPricingModes[] = {"package", "hourly", "mixed"};
constexpr const char* kSchedules[] = {"monthly", "quarterly", "annual", "one_time"};

void load_client_into_form(AppState& state, const std::string& id) {
    auto& form = state.staff.client_form;
    form = {};
    form.id = id;
    form.loading = true;
    api_request("GET", "/api/v1/clients/" + id, "", state.session.token, [id](AppState& s, const ApiResult& r) {
        auto& f = s.staff.client_form;
        if (f.id != id) return;
        f.loading = false;
        auto j = parse_answer(r.body);
        if (r.status != 200 || !j.is_object()) {
            f.load_error = error_from_api(r);
            return;
        }
        f.stored = j;
        set_text(f.company_name, text_of(j, "company_name"));
        set_text(f.billing_email, text_of(j, "billing_email"));
        set_text(f.time_zone, text_of(j, "time_zone"));
        set_text(f.payment_method_ref, text_of(j, "payment_method_ref"));
        for (int i = 0; i < 3; ++i) {
            if (text_of(j, "status") == kClientStatuses[i]) f.status_index = i;
        }
        f.portal_enabled = j.value("portal_enabled", false);
        f.autopay_enabled = j.value("autopay_enabled", false);
        f.stored_autopay = f.autopay_enabled;
        f.stored_has_payment_method = !text_of(j, "payment_method_ref").empty();
        validate_client_form(f);
    });
}

void new_engagement_form(AppState& state) {
    auto& f = state.staff.engagement_form;
    f = {};
    set_text(f.payment_terms, "30");
    // Today on the browser's calendar as a starting point; the core checks what is sent.
    const auto today = time::civil_from_days(static_cast<std::int64_t>(page::now_ms() / 86400000.0));
    set_text(f.start_date, time::format_iso_date(today));
    validate_engagement_form(state);
}

void after_list_loaded(AppState&, const std::string&) {}

}  // namespace

// The errors of a 422 answer ({"error": {...}, "errors": [...]}) or the one error.
std::vector<Error> errors_of(const ApiResult& r) {
    std::vector<Error> out;
    auto j = parse_answer(r.body);
    if (j.is_object() && j.contains("error") && j["error"].is_object() && j["error"].contains("details") &&
        j["error"]["details"].is_array()) {
        for (const auto& e : j["error"]["details"]) {
            out.push_back({text_of(e, "code"), text_of(e, "field"), text_of(e, "message")});
        }
    }
    if (j.is_object() && j.contains("errors") && j["errors"].is_array()) {
        for (const auto& e : j["errors"]) out.push_back({text_of(e, "code"), text_of(e, "field"), text_of(e, "message")});
    }
    if (out.empty()) out.push_back(error_from_api(r));
    return out;
}

std::string url_encode(const std::string& value) {
    std::string out;
    for (unsigned char c : value) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

long long money_minor(const std::string& amount, const std::string& currency) {
    const auto* cur = money::find_currency(currency);
    if (!cur) return 0;
    auto v = money::parse_fixed(amount, cur->minor_digits);
    return v ? static_cast<long long>(*v) : 0;
}

std::string money_minus(const std::string& a, const std::string& b, const std::string& currency) {
    const auto* cur = money::find_currency(currency);
    if (!cur) return {};
    return money::format_fixed(money_minor(a, currency) - money_minor(b, currency), cur->minor_digits);
}

std::string client_name(const AppState& state, const std::string& client_id) {
    if (auto it = state.staff.lists.find("clients"); it != state.staff.lists.end()) {
        for (const auto& c : it->second.rows) {
            if (text_of(c, "id") == client_id) return text_of(c, "company_name");
        }
    }
    if (auto it = state.invoices.client_names.find(client_id); it != state.invoices.client_names.end()) return it->second;
    return client_id;
}

void load_list(AppState& state, const std::string& name, const std::string& path, bool more) {
    auto& list = state.staff.lists[name];
    if (more && list.next_cursor.empty()) return;
    const std::string url = more ? list.path + (list.path.find('?') == std::string::npos ? "?" : "&") +
                                       "cursor=" + url_encode(list.next_cursor)
                                 : path;
    if (!more) list.path = path;
    list.loading = true;
    list.error.reset();
    const int generation = ++list.generation;
    api_request("GET", url, "", state.session.token, [name, more, generation](AppState& s, const ApiResult& r) {
        auto& l = s.staff.lists[name];
        if (l.generation != generation) return;  // a newer search or refresh replaced it
        l.loading = false;
        auto j = parse_answer(r.body);
        if (r.status != 200 || !j.is_object() || !j.contains("data") || !j["data"].is_array()) {
            l.error = error_from_api(r);
            return;
        }
        if (!more) l.rows = nlohmann::json::array();
        for (const auto& row : j["data"]) l.rows.push_back(row);
        const bool has_more = j.value("has_more", false);
        l.next_cursor = has_more ? text_of(j, "next_cursor") : std::string{};
        l.loaded = true;
        after_list_loaded(s, name);
    });
}

void load_clients(AppState& state) {
    std::string path = "/api/v1/clients?limit=200";
    const std::string q = state.staff.client_search.data();
    if (!q.empty()) path += "&q=" + url_encode(q);
    load_list(state, "clients", path);
}

void load_dashboard(AppState& state) {
    auto& d = state.staff.dashboard;
    d.loading = true;
    d.error.reset();
    d.pending = 3;
    auto done = [](AppState& s) {
        if (--s.staff.dashboard.pending <= 0) s.staff.dashboard.loading = false;
    };
    api_request("GET", "/api/v1/reports/ar-aging", "", state.session.token, [done](AppState& s, const ApiResult& r) {
        auto j = parse_answer(r.body);
        if (r.status != 200 || !j.is_object()) {
            s.staff.dashboard.error = error_from_api(r);
            s.staff.dashboard.loading = false;
            return;
        }
        s.staff.dashboard.aging = j;
        // The last 12 months on the firm's calendar, ending with the month of its today.
        auto as_of = time::parse_iso_date(text_of(j, "as_of"));
        if (!as_of) return;
        time::Date from{as_of->year, as_of->month - 11, 1};
        if (from.month < 1) {
            from.month += 12;
            from.year -= 1;
        }
        const std::string path = "/api/v1/reports/revenue?interval=month&from=" + time::format_iso_date(from) +
                                 "&to=" + time::format_iso_date(*as_of);
        api_request("GET", path, "", s.session.token, [done](AppState& s2, const ApiResult& r2) {
            auto j2 = parse_answer(r2.body);
            if (r2.status != 200 || !j2.is_object()) {
                s2.staff.dashboard.error = error_from_api(r2);
            } else {
                s2.staff.dashboard.revenue = j2;
            }
            done(s2);
        });
    });
    api_request("GET", "/api/v1/disputes?limit=200", "", state.session.token, [done](AppState& s, const ApiResult& r) {
        auto j = parse_answer(r.body);
        s.staff.dashboard.disputes = nlohmann::json::array();
        if (r.status == 200 && j.is_object() && j.contains("data") && j["data"].is_array()) {
            for (const auto& dsp : j["data"]) {
                if (dsp.value("open", false)) s.staff.dashboard.disputes.push_back(dsp);
            }
        }
        done(s);
    });
    api_request("GET", "/api/v1/payment-failures?limit=200", "", state.session.token,
                [done](AppState& s, const ApiResult& r) {
                    auto j = parse_answer(r.body);
                    s.staff.dashboard.failures = nlohmann::json::array();
                    if (r.status == 200 && j.is_object() && j.contains("data") && j["data"].is_array()) {
                        for (const auto& f : j["data"]) {
                            if (f.contains("next_retry_at") && f["next_retry_at"].is_string()) s.staff.dashboard.failures.push_back(f);
                        }
                    }
                    done(s);
                });
    // Client names for the disputes and failures.
    if (!state.staff.lists["clients"].loaded) load_list(state, "clients", "/api/v1/clients?limit=200");
}

void open_section(AppState& state, Section section, const std::string& sub) {
    auto& ws = state.staff;
    const bool same = state.screen == Screen::staff && ws.section == section && ws.sub == sub;
    state.screen = Screen::staff;
    ws.section = section;
    ws.sub = sub;
    ws.menu_open = false;
    if (same) return;
    ws.notice.clear();
    load_section(state);
}

void load_section(AppState& state) {
    auto& ws = state.staff;
    const Section section = ws.section;
    const std::string sub = ws.sub;
    switch (section) {
        case Section::dashboard: load_dashboard(state); break;
        case Section::pipeline: load_pipeline_section(state); break;
        case Section::clients:
            if (sub.empty()) {
                load_clients(state);
            } else if (sub == "new") {
                ws.client_form = {};
                ws.client_form.status_index = 0;
                validate_client_form(ws.client_form);
            } else {
                load_client_into_form(state, sub);
            }
            break;
        case Section::engagements:
            if (!ws.lists["clients"].loaded) load_list(state, "clients", "/api/v1/clients?limit=200");
            if (sub == "new") {
                new_engagement_form(state);
            } else if (!sub.empty()) {
                load_engagement_edit(state, sub);
            } else {
                load_list(state, "engagements", "/api/v1/engagements?limit=200");
            }
            break;
        case Section::time: load_time_section(state); break;
        case Section::payments:
            if (!ws.lists["clients"].loaded) load_list(state, "clients", "/api/v1/clients?limit=200");
            load_list(state, "payments", "/api/v1/payments?limit=200");
            load_failures_and_alerts(state);
            break;
        case Section::disputes:
            if (!ws.lists["clients"].loaded) load_list(state, "clients", "/api/v1/clients?limit=200");
            load_list(state, "disputes", "/api/v1/disputes?limit=200");
            break;
        case Section::reports: load_dashboard(state); break;
        case Section::settings: {
            auto& f = ws.settings;
            f.loading = true;
            f.error.reset();
            api_request("GET", "/api/v1/firm", "", state.session.token, [](AppState& s, const ApiResult& r) {
                auto& form = s.staff.settings;
                form.loading = false;
                auto j = parse_answer(r.body);
                if (r.status != 200 || !j.is_object()) {
                    form.error = error_from_api(r);
                    return;
                }
                form.firm = j;
                const auto& st = j.contains("settings") ? j["settings"] : nlohmann::json::object();
                form.tax_mode_index = text_of(st, "tax_mode") == "per_document" ? 1 : 0;
                form.rounding_index = text_of(st, "rounding") == "half_even" ? 1 : 0;
                form.proration = st.value("proration", false);
                set_text(form.prefix, text_of(st, "invoice_number_prefix"));
                set_text(form.terms, text_of(st, "payment_terms_days"));
                set_text(form.run_time, text_of(st, "billing_run_time"));
            });
            load_list(state, "snapshots", "/api/v1/firm/settings/snapshots?limit=200");
            break;
        }
        case Section::members:
            ws.member_edit = {};
            ws.member_add = {};
            validate_member_add(ws.member_add);
            load_list(state, "members", "/api/v1/memberships?limit=200");
            break;
        case Section::audit:
            ws.audit_verify = nullptr;
            load_list(state, "audit", "/api/v1/audit?limit=200");
            load_break_glass_sessions(state);
            break;
        case Section::invoices: break;  // its own screens
    }
}

// --- clients ----------------------------------------------------------------------------

nlohmann::json client_form_body(const ClientForm& form) {
    nlohmann::json body = {{"company_name", str(form.company_name)},
                           {"billing_email", str(form.billing_email)},
                           {"status", kClientStatuses[form.status_index]},
                           {"portal_enabled", form.portal_enabled},
                           {"autopay_enabled", form.autopay_enabled}};
    if (!str(form.time_zone).empty()) body["time_zone"] = str(form.time_zone);
    if (!str(form.payment_method_ref).empty()) body["payment_method_ref"] = str(form.payment_method_ref);
    return body;
}

void validate_client_form(ClientForm& form) {
    const auto mode = form.id.empty() ? validation::Mode::create : validation::Mode::update;
    form.core_errors = validation::validate_client(client_form_body(form), mode,
                                                   {form.stored_has_payment_method, form.stored_autopay});
}

void save_client(AppState& state) {
    auto& form = state.staff.client_form;
    form.touched = true;
    validate_client_form(form);
    form.server_errors.clear();
    if (!form.core_errors.empty() || form.saving) return;  // the core said no: nothing is sent
    form.saving = true;
    const bool create = form.id.empty();
    const std::string id = form.id;
    api_request(create ? "POST" : "PATCH", create ? "/api/v1/clients" : "/api/v1/clients/" + id,
                client_form_body(form).dump(), state.session.token, [create, id](AppState& s, const ApiResult& r) {
                    auto& f = s.staff.client_form;
                    if (f.id != id) return;
                    f.saving = false;
                    if (r.status != 200 && r.status != 201) {
                        f.server_errors = errors_of(r);
                        return;
                    }
                    auto j = parse_answer(r.body);
                    go_to_route(s, "#/clients");  // the list, fetched again
                    s.staff.notice = (create ? "Created " : "Saved ") + text_of(j, "company_name") + ".";
                });
}

// --- engagements ------------------------------------------------------------------------

nlohmann::json engagement_form_body(const AppState& state) {
    const auto& f = state.staff.engagement_form;
    nlohmann::json body = nlohmann::json::object();
    const auto& clients = state.staff.lists.count("clients") ? state.staff.lists.at("clients").rows : nlohmann::json::array();
    if (f.client_index >= 0 && f.client_index < static_cast<int>(clients.size())) {
        body["client_id"] = text_of(clients[static_cast<std::size_t>(f.client_index)], "id");
    }
    body["name"] = str(f.name);
    const std::string mode = kPricingModes[f.pricing_index];
    body["pricing_mode"] = mode;
    body["schedule"] = kSchedules[f.schedule_index];
    if (mode != "hourly") body["package_fee"] = str(f.package_fee);
    if (mode != "package") body["hourly_rate"] = str(f.hourly_rate);
    body["start_date"] = str(f.start_date);
    if (!str(f.end_date).empty()) body["end_date"] = str(f.end_date);
    const std::string terms = str(f.payment_terms);
    if (!terms.empty()) {
        const bool digits = terms.find_first_not_of("0123456789") == std::string::npos && terms.size() <= 4;
        if (digits) {
            body["payment_terms_days"] = std::stoi(terms);
        } else {
            body["payment_terms_days"] = terms;  // the core names the problem
        }
    }
    return body;
}

void validate_engagement_form(AppState& state) {
    state.staff.engagement_form.core_errors =
        validation::validate_engagement(engagement_form_body(state), validation::Mode::create);
}

void save_engagement(AppState& state) {
    auto& form = state.staff.engagement_form;
    form.touched = true;
    validate_engagement_form(state);
    form.server_errors.clear();
    if (!form.core_errors.empty() || form.saving) return;
    form.saving = true;
    api_request("POST", "/api/v1/engagements", engagement_form_body(state).dump(), state.session.token,
                [](AppState& s, const ApiResult& r) {
                    auto& f = s.staff.engagement_form;
                    f.saving = false;
                    if (r.status != 201 && r.status != 200) {
                        f.server_errors = errors_of(r);
                        return;
                    }
                    auto j = parse_answer(r.body);
                    go_to_route(s, "#/engagements");  // the list, fetched again
                    s.staff.notice = "Created engagement " + text_of(j, "name") + ".";
                });
}

// --- settings ---------------------------------------------------------------------------

nlohmann::json settings_changes(const SettingsForm& form) {
    nlohmann::json changes = nlohmann::json::object();
    if (!form.firm.is_object() || !form.firm.contains("settings")) return changes;
    const auto& st = form.firm["settings"];
    const std::string tax = form.tax_mode_index == 1 ? "per_document" : "per_line";
    const std::string rounding = form.rounding_index == 1 ? "half_even" : "half_up";
    if (tax != text_of(st, "tax_mode")) changes["tax_mode"] = tax;
    if (rounding != text_of(st, "rounding")) changes["rounding"] = rounding;
    if (form.proration != st.value("proration", false)) changes["proration"] = form.proration;
    if (str(form.prefix) != text_of(st, "invoice_number_prefix")) changes["invoice_number_prefix"] = str(form.prefix);
    if (str(form.run_time) != text_of(st, "billing_run_time")) changes["billing_run_time"] = str(form.run_time);
    const std::string terms = str(form.terms);
    if (terms != text_of(st, "payment_terms_days")) {
        const bool digits = !terms.empty() && terms.find_first_not_of("0123456789") == std::string::npos;
        if (digits) {
            changes["payment_terms_days"] = std::stoi(terms);
        } else {
            changes["payment_terms_days"] = terms;
        }
    }
    return changes;
}

void save_settings(AppState& state) {
    auto& form = state.staff.settings;
    const auto changes = settings_changes(form);
    if (changes.empty() || form.saving) return;
    form.saving = true;
    form.server_errors.clear();
    form.notice.clear();
    nlohmann::json body = {{"settings", changes}};
    if (!str(form.reason).empty()) body["reason"] = str(form.reason);
    api_request("PATCH", "/api/v1/firm/settings", body.dump(), state.session.token, [](AppState& s, const ApiResult& r) {
        auto& f = s.staff.settings;
        f.saving = false;
        if (r.status != 200) {
            f.server_errors = errors_of(r);
            return;
        }
        f.reason = {};
        load_section(s);
        s.staff.settings.notice = "Saved. The previous settings are kept as snapshot " +
                                  text_of(parse_answer(r.body), "snapshot_id") + ".";
    });
}

void rollback_settings(AppState& state, const std::string& snapshot_id) {
    auto& form = state.staff.settings;
    if (form.saving) return;
    form.saving = true;
    form.notice.clear();
    api_request("POST", "/api/v1/firm/settings/snapshots/" + snapshot_id + "/rollback", "{}", state.session.token,
                [snapshot_id](AppState& s, const ApiResult& r) {
                    auto& f = s.staff.settings;
                    f.saving = false;
                    if (r.status != 200) {
                        f.server_errors = errors_of(r);
                        return;
                    }
                    std::string notice = "Rolled back to snapshot " + snapshot_id + ".";
                    load_section(s);
                    s.staff.settings.notice = notice;
                });
}

// --- members ----------------------------------------------------------------------------

void save_member(AppState& state) {
    auto& edit = state.staff.member_edit;
    const auto& rows = state.staff.lists["members"].rows;
    if (edit.saving || edit.member_index < 0 || edit.member_index >= static_cast<int>(rows.size())) return;
    const auto& member = rows[static_cast<std::size_t>(edit.member_index)];
    const std::string id = text_of(member, "id");
    const std::string email = member.contains("user") ? text_of(member["user"], "email") : id;
    nlohmann::json body = {{"role", kMemberRoles[edit.role_index]}, {"status", kMemberStatuses[edit.status_index]}};
    edit.saving = true;
    edit.errors.clear();
    edit.notice.clear();
    api_request("PATCH", "/api/v1/memberships/" + id, body.dump(), state.session.token,
                [email, body](AppState& s, const ApiResult& r) {
                    auto& e = s.staff.member_edit;
                    e.saving = false;
                    if (r.status != 200) {
                        e.errors = errors_of(r);
                        return;
                    }
                    e.notice = "Saved " + email + ": " + body["role"].get<std::string>() + ", " +
                               body["status"].get<std::string>() + ".";
                    load_list(s, "members", "/api/v1/memberships?limit=200");
                });
}

nlohmann::json member_add_body(const MemberAdd& form) {
    return {{"email", str(form.email)},
            {"name", str(form.name)},
            {"role", kMemberRoles[form.role_index]},
            {"password", str(form.password)}};
}

void validate_member_add(MemberAdd& form) {
    form.core_errors = validation::validate_membership(member_add_body(form), validation::Mode::create);
}

void add_member(AppState& state) {
    auto& form = state.staff.member_add;
    form.touched = true;
    validate_member_add(form);
    form.server_errors.clear();
    form.notice.clear();
    if (!form.core_errors.empty() || form.saving) return;
    form.saving = true;
    const std::string email = str(form.email);
    api_request("POST", "/api/v1/memberships", member_add_body(form).dump(), state.session.token,
                [email](AppState& s, const ApiResult& r) {
                    auto& f = s.staff.member_add;
                    f.saving = false;
                    if (r.status != 201) {
                        f.server_errors = errors_of(r);
                        return;
                    }
                    f = {};
                    validate_member_add(f);
                    f.notice = "Added " + email + ".";
                    load_list(s, "members", "/api/v1/memberships?limit=200");
                });
}

// --- audit, downloads -------------------------------------------------------------------

void verify_audit_chain(AppState& state) {
    if (state.staff.verifying) return;
    state.staff.verifying = true;
    state.staff.audit_verify = nullptr;
    api_request("GET", "/api/v1/audit/verify", "", state.session.token, [](AppState& s, const ApiResult& r) {
        s.staff.verifying = false;
        auto j = parse_answer(r.body);
        if (r.status != 200 || !j.is_object()) {
            const Error e = error_from_api(r);
            s.staff.audit_verify = {{"error", {{"code", e.code}, {"field", e.field}, {"message", e.message}}}};
            return;
        }
        s.staff.audit_verify = j;
    });
}

void download_csv(AppState& state, const std::string& name, const std::string& path, const std::string& filename) {
    state.staff.downloads[name] = page::start_download(path, state.session.token, filename, "text/csv");
}

}  // namespace cp::portal
