#include "server/crm/crm_signals.hpp"

#include <fmt/format.h>

#include "server/audit/audit_log.hpp"
#include "server/billing/package_run.hpp"
#include "server/util/crypto.hpp"
#include "shared/crm/follow_ups.hpp"
#include "shared/state/crm_status.hpp"

namespace cp::server::crm {
namespace {

struct FirmRow {
    std::string id, time_zone, settings;
    std::optional<std::string> last_run_date;
};

struct Alert {
    std::string kind, subject_type, subject_id, owner, key, message;
};

storage::Param nullable(const std::string& s) {
    return s.empty() ? storage::Param(nullptr) : storage::Param(s);
}

// Inserts the alert unless its key was raised already; its id when it is new.
std::optional<std::string> raise(storage::Transaction& tx, const std::string& firm_id, const Alert& a,
                                 const SignalOptions& o) {
    const std::string id = new_id("alr");
    auto rows = tx.query(
        "INSERT INTO alerts (id, firm_id, kind, severity, message, created_at, subject_type, subject_id, "
        "owner_membership_id, dedupe_key) VALUES (?, ?, ?, 'WARNING', ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (firm_id, dedupe_key) DO NOTHING RETURNING id",
        {id, firm_id, a.kind, a.message, o.now, a.subject_type, a.subject_id, nullable(a.owner), a.key});
    if (rows.empty()) return std::nullopt;
    audit::Event e;
    e.firm_id = firm_id;
    e.category = "SYSTEM";
    e.action = "crm.alert";
    e.severity = "WARNING";
    e.actor_type = "system";
    e.actor_id = o.actor_id;
    e.target_type = a.subject_type;
    e.target_id = a.subject_id;
    e.metadata = {{"alert_id", id}, {"kind", a.kind}, {"owner_membership_id", a.owner}};
    audit::append(tx, e, o.now);
    return id;
}

std::vector<Alert> follow_ups(storage::Transaction& tx, Zones& zones, const FirmRow& f,
                              const time::Date& today) {
    const auto settings = cp::crm::follow_up_settings(nlohmann::json::parse(f.settings, nullptr, false));
    std::vector<Alert> out;
    // Leads still worked and never converted. Only those whose last activity could be N local
    // days old are read: a day's margin covers every zone's offset.
    const std::int64_t before =
        (time::days_from_civil(today) - settings.lead_untouched_days + 2) * std::int64_t{86400};
    for (const auto& r : tx.query(
             "SELECT l.id, l.company, l.status, l.owner_membership_id, l.last_activity_at FROM leads l "
             "WHERE l.firm_id = ? AND l.status <> 'disqualified' AND l.last_activity_at < ? AND NOT EXISTS "
             "(SELECT 1 FROM prospects p WHERE p.firm_id = l.firm_id AND p.lead_id = l.id) ORDER BY l.id",
             {f.id, before})) {
        auto status = state::parse_lead_status(r.str("status"));
        if (!status || !cp::crm::lead_is_followed(*status)) continue;
        const time::Date last_on = zones.local_date(f.time_zone, r.i64("last_activity_at"));
        if (!cp::crm::lead_needs_follow_up(last_on, today, settings.lead_untouched_days)) continue;
        const std::int64_t days = time::days_from_civil(today) - time::days_from_civil(last_on);
        out.push_back({"lead_follow_up", "lead", r.str("id"), r.opt("owner_membership_id").value_or(""),
                       fmt::format("lead_follow_up:{}:{}", r.str("id"), r.i64("last_activity_at")),
                       fmt::format("Lead {} has not been touched for {} days (last activity on {}).",
                                   r.str("company"), days, time::format_iso_date(last_on))});
    }
    // Sent proposals whose last day is within the window (ISO dates compare as text).
    for (const auto& r :
         tx.query("SELECT pr.id, pr.title, pr.status, pr.expires_on, p.company, p.owner_membership_id FROM "
                  "proposals pr "
                  "JOIN prospects p ON p.id = pr.prospect_id WHERE pr.firm_id = ? AND pr.status = 'sent' AND "
                  "pr.expires_on >= ? AND pr.expires_on <= ? ORDER BY pr.id",
                  {f.id, time::format_iso_date(today),
                   time::format_iso_date(time::add_days(today, settings.proposal_expiring_days))})) {
        auto status = state::parse_proposal_status(r.str("status"));
        auto expires_on = time::parse_iso_date(r.str("expires_on"));
        if (!status || !expires_on) continue;
        if (!cp::crm::proposal_needs_follow_up(*status, *expires_on, today, settings.proposal_expiring_days))
            continue;
        const std::int64_t left = time::days_from_civil(*expires_on) - time::days_from_civil(today);
        out.push_back({"proposal_expiring", "proposal", r.str("id"),
                       r.opt("owner_membership_id").value_or(""),
                       fmt::format("proposal_expiring:{}", r.str("id")),
                       fmt::format("Proposal \"{}\" to {} expires after {} ({}).", r.str("title"),
                                   r.str("company"), r.str("expires_on"),
                                   left == 0 ? std::string("today is its last day")
                                             : fmt::format("{} day{} left", left, left == 1 ? "" : "s"))});
    }
    return out;
}

}  // namespace

nlohmann::json SignalReport::to_json() const {
    return {{"date", date ? nlohmann::json(time::format_iso_date(*date)) : nlohmann::json(nullptr)},
            {"firms", firms},
            {"evaluated", evaluated},
            {"raised", raised},
            {"alerts", alerts},
            {"errors", errors}};
}

SignalReport run_crm_signals(storage::Database& db, Zones& zones, const SignalOptions& o) {
    SignalReport report;
    report.date = o.date;
    std::vector<FirmRow> firms;
    billing::with_busy_retry(200, [&] {
        firms.clear();
        storage::Transaction tx(db, storage::TxMode::read);
        std::string sql =
            "SELECT f.id, f.time_zone, f.settings, s.last_run_date FROM firms f LEFT JOIN crm_signal_state s "
            "ON "
            "s.firm_id = f.id WHERE f.status IN ('trial', 'active')";
        storage::Params params;
        if (o.firm_id) {
            sql += " AND f.id = ?";
            params.emplace_back(*o.firm_id);
        }
        for (const auto& r : tx.query(sql + " ORDER BY f.id", params))
            firms.push_back({r.str("id"), r.str("time_zone"), r.str("settings"), r.opt("last_run_date")});
        tx.commit();
    });
    for (const auto& f : firms) {
        ++report.firms;
        try {
            const time::Date today = o.date ? *o.date : zones.local_date(f.time_zone, o.now);
            const std::string today_text = time::format_iso_date(today);
            if (o.daily && f.last_run_date && *f.last_run_date >= today_text) continue;
            std::vector<std::string> raised;
            billing::with_busy_retry(200, [&] {
                raised.clear();
                storage::Transaction tx(db);
                for (const auto& a : follow_ups(tx, zones, f, today)) {
                    if (auto id = raise(tx, f.id, a, o)) raised.push_back(*id);
                }
                tx.exec(
                    "INSERT INTO crm_signal_state (firm_id, last_run_date, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (firm_id) DO UPDATE SET last_run_date = excluded.last_run_date, "
                    "updated_at = excluded.updated_at WHERE crm_signal_state.last_run_date < "
                    "excluded.last_run_date",
                    {f.id, today_text, o.now});
                tx.commit();
            });
            ++report.evaluated;
            report.raised += static_cast<std::int64_t>(raised.size());
            for (auto& id : raised) report.alerts.push_back(id);
        } catch (const std::exception& e) {
            report.errors.push_back({{"firm_id", f.id}, {"message", e.what()}});
        }
    }
    return report;
}

}  // namespace cp::server::crm
