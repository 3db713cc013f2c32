#include "client/app/time_actions.hpp"
#include "client/app/json_text.hpp"

#include <algorithm>
#include <cstring>

#include "client/api/api_client.hpp"
#include "client/app/payment_failure_actions.hpp"
#include "client/app/staff_actions.hpp"
#include "client/app/zone_loader.hpp"
#include "client/platform/page_bridge.hpp"
#include "shared/auth/capabilities.hpp"
#include "shared/money/decimal.hpp"
#include "shared/money/rounding.hpp"
#include "shared/time/civil.hpp"
#include "shared/validation/expense_validation.hpp"
#include "shared/validation/time_entry_validation.hpp"

namespace cp::portal {
namespace {

constexpr const char* kEngagementsPath = "/api/v1/engagements?limit=200";
constexpr const char* kTimePath = "/api/v1/time-entries?limit=200";
constexpr const char* kExpensesPath = "/api/v1/expenses?limit=200";
constexpr const char* kQueueTimePath = "/api/v1/time-entries?status=unapproved&limit=200";
constexpr const char* kQueueExpensesPath = "/api/v1/expenses?status=unapproved&limit=200";

const nlohmann::json& rows_of(const AppState& state, const std::string& name) {
    static const nlohmann::json none = nlohmann::json::array();
    auto it = state.staff.lists.find(name);
    return it == state.staff.lists.end() ? none : it->second.rows;
}

std::string engagement_id_at(const AppState& state, int index) {
    const auto& rows = rows_of(state, "engagements");
    if (index < 0 || index >= static_cast<int>(rows.size())) return {};
    return text_of(rows[static_cast<std::size_t>(index)], "id");
}

// Once the firm's zone is known: its today in empty date fields, and the validators rerun.
void fill_default_dates(AppState& s) {
    auto& t = s.staff.time;
    const auto* zone = find_zone(s, t.firm_time_zone);
    if (!zone) return;
    const auto today = zone->local_date(static_cast<time::Instant>(page::now_ms() / 1000.0));
    if (str(t.entry.date).empty()) set_text(t.entry.date, time::format_iso_date(today));
    if (str(t.expense.date).empty()) set_text(t.expense.date, time::format_iso_date(today));
    validate_time_entry_form(s);
    validate_expense_form(s);
}

// The firm's local date, when its zone is known (the validators then check "not after today").
std::optional<time::Date> firm_today(const AppState& state) {
    const auto* zone = find_zone(state, state.staff.time.firm_time_zone);
    if (!zone) return std::nullopt;
    return zone->local_date(static_cast<time::Instant>(page::now_ms() / 1000.0));
}

void reload_time_lists(AppState& state) {
    load_list(state, "time", kTimePath);
    load_list(state, "expenses", kExpensesPath);
    if (can_approve(state)) {
        load_list(state, "approve.time", kQueueTimePath);
        load_list(state, "approve.expenses", kQueueExpensesPath);
    }
}

void restore_timer(AppState& state);  // below, with the timer

}  // namespace

bool can_approve(const AppState& state) { return auth::role_has(state.session.role, auth::Capability::time_approve); }

void load_time_section(AppState& state) {
    auto& tw = state.staff.time;
    tw.entry.notice.clear();
    tw.expense.notice.clear();
    tw.queue.notice.clear();
    tw.queue.errors.clear();
    api_request("GET", "/api/v1/auth/me", "", state.session.token, [](AppState& s, const ApiResult& r) {
        auto j = parse_answer(r.body);
        if (r.status == 200 && j.is_object() && j.contains("membership")) {
            s.staff.time.me_membership_id = text_of(j["membership"], "id");
        }
    });
    api_request("GET", "/api/v1/firm", "", state.session.token, [](AppState& s, const ApiResult& r) {
        auto j = parse_answer(r.body);
        if (r.status != 200 || !j.is_object()) return;
        s.staff.time.firm_time_zone = text_of(j, "time_zone");
        ensure_zone(s, s.staff.time.firm_time_zone, fill_default_dates);
        fill_default_dates(s);  // when the zone was fetched before
    });
    if (!state.staff.lists["clients"].loaded && auth::role_has(state.session.role, auth::Capability::clients_read)) {
        load_list(state, "clients", "/api/v1/clients?limit=200");
    }
    load_list(state, "engagements", kEngagementsPath);
    reload_time_lists(state);
    restore_timer(state);
}

// --- log time, log an expense -----------------------------------------------------------

nlohmann::json time_entry_body(const AppState& state) {
    const auto& f = state.staff.time.entry;
    nlohmann::json body = nlohmann::json::object();
    if (auto id = engagement_id_at(state, f.engagement_index); !id.empty()) body["engagement_id"] = id;
    if (!str(f.date).empty()) body["date"] = str(f.date);
    if (!str(f.hours).empty()) body["hours"] = str(f.hours);
    if (!str(f.description).empty()) body["description"] = str(f.description);
    body["billable"] = f.billable;
    return body;
}

nlohmann::json expense_body(const AppState& state) {
    const auto& f = state.staff.time.expense;
    nlohmann::json body = nlohmann::json::object();
    if (auto id = engagement_id_at(state, f.engagement_index); !id.empty()) body["engagement_id"] = id;
    if (!str(f.date).empty()) body["date"] = str(f.date);
    if (!str(f.amount).empty()) body["amount"] = str(f.amount);
    if (!str(f.description).empty()) body["description"] = str(f.description);
    if (!str(f.category).empty()) body["category"] = str(f.category);
    body["billable"] = f.billable;
    return body;
}

void validate_time_entry_form(AppState& state) {
    state.staff.time.entry.errors.core =
        validation::validate_time_entry(time_entry_body(state), validation::Mode::create, firm_today(state));
}

void validate_expense_form(AppState& state) {
    state.staff.time.expense.errors.core =
        validation::validate_expense(expense_body(state), validation::Mode::create, firm_today(state));
}

void save_time_entry(AppState& state) {
    auto& f = state.staff.time.entry;
    f.errors.touched = true;
    f.errors.server.clear();
    f.notice.clear();
    validate_time_entry_form(state);
    if (!f.errors.core.empty() || f.saving) return;  // the core said no: nothing is sent
    f.saving = true;
    api_request("POST", "/api/v1/time-entries", time_entry_body(state).dump(), state.session.token,
                [](AppState& s, const ApiResult& r) {
                    auto& form = s.staff.time.entry;
                    form.saving = false;
                    if (r.status != 201) {
                        form.errors.server = errors_of(r);
                        return;
                    }
                    auto j = parse_answer(r.body);
                    form.notice = "Logged " + text_of(j, "hours") + " h on " + text_of(j, "date") + " (unapproved).";
                    set_text(form.hours, "");
                    set_text(form.description, "");
                    form.errors = {};
                    reload_time_lists(s);
                });
}

void save_expense(AppState& state) {
    auto& f = state.staff.time.expense;
    f.errors.touched = true;
    f.errors.server.clear();
    f.notice.clear();
    validate_expense_form(state);
    if (!f.errors.core.empty() || f.saving) return;
    f.saving = true;
    api_request("POST", "/api/v1/expenses", expense_body(state).dump(), state.session.token,
                [](AppState& s, const ApiResult& r) {
                    auto& form = s.staff.time.expense;
                    form.saving = false;
                    if (r.status != 201) {
                        form.errors.server = errors_of(r);
                        return;
                    }
                    auto j = parse_answer(r.body);
                    form.notice = "Logged an expense of " + text_of(j, "amount") + " " + text_of(j, "currency") +
                                  " (unapproved).";
                    set_text(form.amount, "");
                    set_text(form.description, "");
                    set_text(form.category, "");
                    form.errors = {};
                    reload_time_lists(s);
                });
}

// --- timer ------------------------------------------------------------------------------

std::string hours_for_seconds(long long seconds) {
    // Hours are hundredths (36 s each), rounded once by the core's named default, half-up.
    const auto hundredths = money::divide_rounded64(std::max(0LL, seconds), 36, money::Rounding::half_up);
    return money::format_fixed(hundredths, validation::kHoursScale);
}

long long timer_seconds(const AppState& state) {
    const auto& t = state.staff.time.timer;
    if (!t.running) return std::max(0LL, t.stopped_seconds);
    return static_cast<long long>((page::now_ms() - t.started_ms) / 1000.0);
}

namespace {

std::string timer_key(const AppState& state) {
    return "cp.timer:" + state.session.email + ":" + state.session.firm_name;
}

// The stored timer, if any: started_ms with the form's engagement and description.
void restore_timer(AppState& state) {
    auto& t = state.staff.time.timer;
    if (t.running) return;
    const auto stored = nlohmann::json::parse(page::stored_local(timer_key(state)), nullptr, false);
    if (!stored.is_object() || !stored.contains("started_ms") || !stored["started_ms"].is_number()) return;
    t.running = true;
    t.started_ms = stored["started_ms"].get<double>();
    t.restore_engagement_id = text_of(stored, "engagement_id");
    auto& entry = state.staff.time.entry;
    if (str(entry.description).empty()) set_text(entry.description, text_of(stored, "description"));
}

}  // namespace

void pick_restored_engagement(AppState& state) {
    auto& t = state.staff.time.timer;
    if (t.restore_engagement_id.empty() || !state.staff.lists["engagements"].loaded) return;
    const auto& rows = rows_of(state, "engagements");
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (text_of(rows[i], "id") == t.restore_engagement_id) state.staff.time.entry.engagement_index = static_cast<int>(i);
    }
    t.restore_engagement_id.clear();
    validate_time_entry_form(state);
}

void start_timer(AppState& state) {
    auto& t = state.staff.time.timer;
    if (t.running) return;
    t.running = true;
    t.started_ms = page::now_ms();
    state.staff.time.entry.notice.clear();
    remember_timer(state);
}

void remember_timer(AppState& state) {
    const auto& t = state.staff.time.timer;
    if (!t.running) return;
    const auto& entry = state.staff.time.entry;
    page::store_local(timer_key(state), nlohmann::json{{"started_ms", t.started_ms},
                                                       {"engagement_id", engagement_id_at(state, entry.engagement_index)},
                                                       {"description", str(entry.description)}}
                                            .dump());
}

void stop_timer(AppState& state) {
    auto& t = state.staff.time.timer;
    if (!t.running) return;
    t.stopped_seconds = timer_seconds(state);
    t.running = false;
    page::remove_local(timer_key(state));
    set_text(state.staff.time.entry.hours, hours_for_seconds(t.stopped_seconds));
    save_time_entry(state);  // with the form's engagement, date and description
}

// --- approval queue ---------------------------------------------------------------------

bool is_own_entry(const AppState& state, const nlohmann::json& entry) {
    const auto& me = state.staff.time.me_membership_id;
    // Until /auth/me answers, every row counts as one's own: never offer a self-approval.
    return me.empty() || text_of(entry, "author_membership_id") == me;
}

void approve_selected(AppState& state) {
    auto& q = state.staff.time.queue;
    if (q.pending > 0) return;
    nlohmann::json time_ids = nlohmann::json::array(), expense_ids = nlohmann::json::array();
    for (const auto& key : q.selected) {
        if (key.rfind("time:", 0) == 0) time_ids.push_back(key.substr(5));
        if (key.rfind("expense:", 0) == 0) expense_ids.push_back(key.substr(8));
    }
    q.errors.clear();
    q.notice.clear();
    auto send = [&state](const char* path, const nlohmann::json& ids, const char* what, const char* plural) {
        if (ids.empty()) return;
        auto& queue = state.staff.time.queue;
        ++queue.pending;
        const std::string noun = what, nouns = plural;
        api_request("POST", path, nlohmann::json{{"ids", ids}}.dump(), state.session.token,
                    [noun, nouns](AppState& s, const ApiResult& r) {
                        auto& qq = s.staff.time.queue;
                        --qq.pending;
                        if (r.status != 200) {
                            for (auto& e : errors_of(r)) qq.errors.push_back({e.code, noun + "." + e.field, e.message});
                        } else {
                            auto j = parse_answer(r.body);
                            const auto n = j.contains("data") ? j["data"].size() : 0;
                            if (!qq.notice.empty()) qq.notice += " ";
                            qq.notice += "Approved " + std::to_string(n) + " " + (n == 1 ? noun : nouns) + ".";
                            for (const auto& row : j.value("data", nlohmann::json::array())) {
                                qq.selected.erase((noun == "time entry" ? "time:" : "expense:") + text_of(row, "id"));
                            }
                        }
                        if (qq.pending == 0) reload_time_lists(s);
                    });
    };
    send("/api/v1/time-entries/approve", time_ids, "time entry", "time entries");
    send("/api/v1/expenses/approve", expense_ids, "expense", "expenses");
}

nlohmann::json time_debug_state(const AppState& state) {
    const auto& tw = state.staff.time;
    auto errors = [](const FormErrors& e) { return nlohmann::json(e.shown); };
    nlohmann::json out = {
        {"me", tw.me_membership_id},
        {"firm_time_zone", tw.firm_time_zone},
        {"can_approve", can_approve(state)},
        {"entry", {{"saving", tw.entry.saving}, {"notice", tw.entry.notice}, {"hours", str(tw.entry.hours)},
                   {"date", str(tw.entry.date)}, {"description", str(tw.entry.description)},
                   {"engagement_id", engagement_id_at(state, tw.entry.engagement_index)},
                   {"shown_errors", errors(tw.entry.errors)}}},
        {"expense", {{"saving", tw.expense.saving}, {"notice", tw.expense.notice},
                     {"engagement_id", engagement_id_at(state, tw.expense.engagement_index)},
                     {"shown_errors", errors(tw.expense.errors)}}},
        {"timer", {{"running", tw.timer.running}, {"seconds", timer_seconds(state)}}},
        {"queue", {{"selected", tw.queue.selected}, {"pending", tw.queue.pending}, {"notice", tw.queue.notice}}},
    };
    nlohmann::json queue_errors = nlohmann::json::array();
    for (const auto& e : tw.queue.errors) queue_errors.push_back(e.code + "@" + e.field);
    out["queue"]["errors"] = queue_errors;
    nlohmann::json own = nlohmann::json::array();
    for (const char* name : {"approve.time", "approve.expenses"}) {
        for (const auto& row : rows_of(state, name)) {
            if (is_own_entry(state, row)) own.push_back(text_of(row, "id"));
        }
    }
    out["queue"]["own"] = own;
    out.update(failures_debug_state(state));  // failures, alerts (payment_failure_actions)
    return out;
}

}  // namespace cp::portal
