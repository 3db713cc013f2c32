#include "server/exit/firm_tables.hpp"

#include <set>

namespace cp::server::exit {

const std::vector<FirmTable>& firm_tables() {
    static const std::vector<FirmTable> tables = {
        // Bearer credentials: never exported, purged first.
        {"sessions", "id", false, ""},
        // Client email: the outbox (its pending link tokens are secrets, see below).
        {"email_messages", "id", true, ""},
        {"invoice_links", "id", true, ""},
        // CRM: children before parents (contracts point at clients and engagements).
        {"proposal_links", "id", true, ""},
        {"portal_invitations", "id", true, ""},
        {"crm_signal_state", "firm_id", true, ""},
        {"contracts", "id", true, ""},
        {"crm_activities", "id", true, ""},
        {"proposals", "id", true, "parent_id"},
        {"prospects", "id", true, ""},
        {"leads", "id", true, ""},
        {"webhook_events", "id", true, ""},
        {"disputes", "id", true, ""},
        {"payment_failures", "id", true, ""},
        {"alerts", "id", true, ""},
        {"credit_ledger", "id", true, ""},
        {"refunds", "id", true, ""},
        {"credit_requests", "id", true, ""},
        {"payments", "id", true, ""},
        {"invoice_lines", "id", true, ""},
        {"time_entries", "id", true, ""},
        {"expenses", "id", true, ""},
        {"invoices", "id", true, "credited_invoice_id"},
        {"package_run_state", "firm_id", true, ""},
        {"number_sequences", "kind", true, ""},
        {"engagements", "id", true, "parent_id"},
        {"portal_users", "id", true, ""},
        {"break_glass_sessions", "id", true, ""},
        {"memberships", "id", true, ""},
        {"clients", "id", true, ""},
        {"firm_settings_snapshots", "id", true, ""},
        {"audit_events", "seq", true, ""},
        {"audit_chain_heads", "firm_id", true, ""},
        // Exit bookkeeping: about the export, not the firm's data; purged with it.
        {"firm_exports", "id", false, ""},
    };
    return tables;
}

bool is_secret_column(std::string_view table, std::string_view column) {
    return column == "password_hash" || column == "token_hash" || column == "link_token" ||
           (table == "webhook_events" && column == "payload");
}

const char* money_currency_source(std::string_view table, std::string_view column) {
    static const std::set<std::string_view> with_currency = {
        "amount", "subtotal", "tax", "total", "amount_paid", "balance_due", "amount_credited", "applied",
        "to_credit", "amount_refunded", "balance_after", "fee", "funds_withdrawn", "funds_reinstated",
        "loss_applied", "package_fee", "estimated_value"};
    if (table == "invoice_lines" && column == "amount") return "invoice";
    if (table == "time_entries" || table == "invoice_links" || table == "proposal_links" || table == "webhook_events")
        return nullptr;
    return with_currency.count(column) ? "currency" : nullptr;
}

}  // namespace cp::server::exit
