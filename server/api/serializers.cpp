#include "server/api/serializers.hpp"

#include "server/util/clock.hpp"
#include "shared/money/currency.hpp"
#include "shared/money/decimal.hpp"

namespace cp::api {

using nlohmann::json;
using server::iso_time;

namespace {
json nullable(const storage::Row& r, const char* column) {
    return r.is_null(column) ? json(nullptr) : json(r.str(column));
}
int digits_of(const std::string& currency) {
    const auto* c = money::find_currency(currency);
    return c ? c->minor_digits : 2;
}
}  // namespace

std::string money_text(std::int64_t minor, const std::string& currency) {
    return money::format_fixed(minor, digits_of(currency));
}

std::string rate_text(std::int64_t scaled, int min_digits) {
    std::string s = money::format_fixed(scaled, 4);
    auto point = s.find('.');
    while (s.size() > point + 1 + static_cast<std::size_t>(min_digits) && s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
}

json firm_json(const storage::Row& f) {
    return {{"object", "firm"},
            {"id", f.str("id")},
            {"name", f.str("name")},
            {"slug", f.str("slug")},
            {"status", f.str("status")},
            {"plan", f.str("plan")},
            {"time_zone", f.str("time_zone")},
            {"currency", f.str("currency")},
            {"settings", json::parse(f.str("settings"))},
            {"created_at", iso_time(f.i64("created_at"))},
            {"updated_at", iso_time(f.i64("updated_at"))}};
}

json firm_metadata_json(const storage::Row& f) {
    return {{"object", "firm_metadata"},
            {"id", f.str("id")},
            {"name", f.str("name")},
            {"slug", f.str("slug")},
            {"status", f.str("status")},
            {"plan", f.str("plan")},
            {"counts", {{"members", f.i64("member_count")}, {"clients", f.i64("client_count")}}},
            {"created_at", iso_time(f.i64("created_at"))}};
}

json membership_json(const storage::Row& m) {
    return {{"object", "membership"},
            {"id", m.str("id")},
            {"firm_id", m.str("firm_id")},
            {"role", m.str("role")},
            {"status", m.str("status")},
            {"user", {{"id", m.str("user_id")}, {"email", m.str("email")}, {"name", m.str("name")}}},
            {"created_at", iso_time(m.i64("created_at"))},
            {"updated_at", iso_time(m.i64("updated_at"))}};
}

json client_json(const storage::Row& c) {
    return {{"object", "client"},
            {"id", c.str("id")},
            {"company_name", c.str("name")},
            {"status", c.str("status")},
            {"billing_email", c.str("billing_email")},
            {"time_zone", c.str("time_zone")},
            {"portal_enabled", c.flag("portal_enabled")},
            {"autopay_enabled", c.flag("autopay_enabled")},
            {"payment_method_ref", nullable(c, "payment_method_ref")},
            {"contacts", json::parse(c.str("contacts"))},
            {"created_at", iso_time(c.i64("created_at"))},
            {"updated_at", iso_time(c.i64("updated_at"))}};
}

json portal_user_json(const storage::Row& p) {
    return {{"object", "portal_user"},
            {"id", p.str("id")},
            {"client_id", p.str("client_id")},
            {"email", p.str("email")},
            {"name", p.str("name")},
            {"status", p.str("status")},
            {"can_view_billing", p.flag("can_view_billing")},
            {"can_view_projects", p.flag("can_view_projects")},
            {"created_at", iso_time(p.i64("created_at"))}};
}

json engagement_json(const storage::Row& e) {
    const std::string currency = e.str("currency");
    return {{"object", "engagement"},
            {"id", e.str("id")},
            {"client_id", e.str("client_id")},
            {"name", e.str("name")},
            {"version", e.i64("version")},
            {"parent_id", nullable(e, "parent_id")},
            {"status", e.str("status")},
            {"pricing_mode", e.str("pricing_mode")},
            {"package_fee",
             e.is_null("package_fee") ? json(nullptr) : json(money_text(e.i64("package_fee"), currency))},
            {"hourly_rate", e.is_null("hourly_rate")
                                ? json(nullptr)
                                : json(rate_text(e.i64("hourly_rate"), digits_of(currency)))},
            {"currency", currency},
            {"schedule", e.str("schedule")},
            {"payment_terms_days", e.i64("payment_terms_days")},
            {"start_date", e.str("start_date")},
            {"end_date", nullable(e, "end_date")},
            {"created_at", iso_time(e.i64("created_at"))},
            {"updated_at", iso_time(e.i64("updated_at"))}};
}

json invoice_json(const storage::Row& i) {
    const std::string currency = i.str("currency");
    return {{"object", "invoice"},
            {"id", i.str("id")},
            {"number", nullable(i, "number")},
            {"status", i.str("status")},
            {"client_id", i.str("client_id")},
            {"engagement_id", nullable(i, "engagement_id")},
            {"currency", currency},
            {"tax_mode", i.str("tax_mode")},
            {"issue_date", nullable(i, "issue_date")},
            {"due_date", nullable(i, "due_date")},
            {"subtotal", money_text(i.i64("subtotal"), currency)},
            {"tax", money_text(i.i64("tax"), currency)},
            {"total", money_text(i.i64("total"), currency)},
            {"amount_paid", money_text(i.i64("amount_paid"), currency)},
            {"balance_due", money_text(i.i64("balance_due"), currency)},
            {"document_type", i.str("document_type")},
            {"rounding", i.str("rounding")},
            {"notes", nullable(i, "notes")},
            {"engagement_override_reason", nullable(i, "engagement_override_reason")},
            {"credited_invoice_id", nullable(i, "credited_invoice_id")},
            {"amount_credited", money_text(i.i64("amount_credited"), currency)},
            {"void_reason", nullable(i, "void_reason")},
            {"issued_at", i.is_null("issued_at") ? json(nullptr) : json(iso_time(i.i64("issued_at")))},
            {"created_at", iso_time(i.i64("created_at"))},
            {"updated_at", iso_time(i.i64("updated_at"))}};
}

json invoice_line_json(const storage::Row& l, const std::string& currency) {
    json out{{"kind", l.str("kind")},         {"description", l.str("description")},
             {"quantity", l.str("quantity")}, {"unit_price", l.str("unit_price")},
             {"tax_rate", l.str("tax_rate")}, {"amount", money_text(l.i64("amount"), currency)}};
    // Only lines that bill an entry say so, so a line sent back in a PATCH keeps its link.
    if (!l.is_null("time_entry_id")) out["time_entry_id"] = l.str("time_entry_id");
    if (!l.is_null("expense_id")) out["expense_id"] = l.str("expense_id");
    return out;
}

json break_glass_json(const storage::Row& s) {
    auto t = [&](const char* c) { return s.is_null(c) ? json(nullptr) : json(iso_time(s.i64(c))); };
    return {{"object", "break_glass_session"},
            {"id", s.str("id")},
            {"firm_id", s.str("firm_id")},
            {"operator_id", s.str("operator_id")},
            {"reason", s.str("reason")},
            {"impersonated_membership_id", nullable(s, "impersonated_membership_id")},
            {"status", s.str("status")},
            {"opened_at", t("opened_at")},
            {"expires_at", t("expires_at")},
            {"closed_at", t("closed_at")},
            {"closed_by", nullable(s, "closed_by")},
            {"close_reason", nullable(s, "close_reason")},
            {"reviewed_at", t("reviewed_at")},
            {"reviewed_by", nullable(s, "reviewed_by")},
            {"review_notes", nullable(s, "review_notes")}};
}

}  // namespace cp::api
