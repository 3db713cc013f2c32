#include "server/api/engagement_records.hpp"

#include "server/api/serializers.hpp"
#include "server/util/crypto.hpp"
#include "shared/money/currency.hpp"
#include "shared/money/decimal.hpp"

namespace cp::api {

// Only what the pricing mode uses is kept: a package engagement has no hourly rate.
storage::Params engagement_pricing_params(const json& m) {
    const auto* currency = money::find_currency(m["currency"].get<std::string>());
    const std::string mode = m["pricing_mode"];
    storage::Param fee = nullptr, rate = nullptr;
    if (mode != "hourly" && m.contains("package_fee")) {
        fee = money::parse_fixed(m["package_fee"].get<std::string>(), currency->minor_digits).value();
    }
    if (mode != "package" && m.contains("hourly_rate")) {
        rate = money::parse_fixed(m["hourly_rate"].get<std::string>(), 4).value();
    }
    return {mode,
            fee,
            rate,
            m["currency"].get<std::string>(),
            m.value("schedule", std::string("monthly")),
            m.value("payment_terms_days", std::int64_t{30})};
}

void audit_engagement(Ctx& ctx, const char* action, const storage::Row& e, json before) {
    auto ev = audit_event(ctx, "BILLING", action);
    ev.target_type = "engagement";
    ev.target_id = e.str("id");
    ev.target_label = e.str("name") + " v" + e.str("version");
    if (!before.is_null()) ev.metadata["before"] = std::move(before);
    ev.metadata["after"] = engagement_json(e);
    record(ctx, ev);
}

storage::Row insert_engagement(Ctx& ctx, const json& m, std::int64_t version, const storage::Param& parent) {
    const std::string id = server::new_id("eng");
    auto p = engagement_pricing_params(m);
    ctx.tx().exec(
        "INSERT INTO engagements (id, firm_id, client_id, name, version, parent_id, status, pricing_mode, "
        "package_fee, hourly_rate, currency, schedule, payment_terms_days, start_date, end_date, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, 'current', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, ctx.principal.firm_id, m["client_id"].get<std::string>(), m["name"].get<std::string>(), version,
         parent, p[0], p[1], p[2], p[3], p[4], p[5], m["start_date"].get<std::string>(),
         m.contains("end_date") ? storage::Param(m["end_date"].get<std::string>()) : storage::Param(nullptr),
         ctx.now, ctx.now});
    auto row = ctx.tx().query_one("SELECT * FROM engagements WHERE id = ? AND firm_id = ?",
                                  {id, ctx.principal.firm_id});
    audit_engagement(ctx, version == 1 ? "engagement.create" : "engagement.renew", *row, nullptr);
    return *row;
}

}  // namespace cp::api
