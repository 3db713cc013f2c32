#include "server/billing/firm_billing.hpp"

#include <nlohmann/json.hpp>

namespace cp::server::billing {

FirmBilling firm_billing_from(const std::string& time_zone, const std::string& currency,
                              const std::string& settings_json) {
    nlohmann::json s = nlohmann::json::parse(settings_json, nullptr, false);
    if (!s.is_object()) s = nlohmann::json::object();
    FirmBilling out;
    out.time_zone = time_zone;
    out.currency = currency;
    out.tax_mode = s.value("tax_mode", std::string("per_line"));
    out.rounding = s.value("rounding", std::string("half_up"));
    out.number_prefix = s.value("invoice_number_prefix", std::string("INV-"));
    out.payment_terms_days = s.value("payment_terms_days", std::int64_t{30});
    out.proration = s.value("proration", false);
    out.billing_run_time = s.value("billing_run_time", std::string("06:00"));
    return out;
}

FirmBilling load_firm_billing(storage::Transaction& tx, const std::string& firm_id) {
    auto f = tx.query_one("SELECT time_zone, currency, settings FROM firms WHERE id = ?", {firm_id});
    if (!f) throw std::logic_error("no firm " + firm_id);
    return firm_billing_from(f->str("time_zone"), f->str("currency"), f->str("settings"));
}

void lock_sequence(storage::Transaction& tx, const std::string& firm_id, const std::string& kind) {
    tx.exec(
        "INSERT INTO number_sequences (firm_id, kind, last_value) VALUES (?, ?, 0) "
        "ON CONFLICT (firm_id, kind) DO NOTHING",
        {firm_id, kind});
    if (tx.backend() == "postgresql") {
        tx.exec("SELECT last_value FROM number_sequences WHERE firm_id = ? AND kind = ? FOR UPDATE",
                {firm_id, kind});
    }
}

std::int64_t next_in_sequence(storage::Transaction& tx, const std::string& firm_id, const std::string& kind) {
    // The counter row exists from the firm's first issue on; the UPDATE takes its row lock,
    // so the value returned is always the committed value plus our own step.
    tx.exec(
        "INSERT INTO number_sequences (firm_id, kind, last_value) VALUES (?, ?, 0) "
        "ON CONFLICT (firm_id, kind) DO NOTHING",
        {firm_id, kind});
    auto row = tx.query_one(
        "UPDATE number_sequences SET last_value = last_value + 1 WHERE firm_id = ? AND kind = ? "
        "RETURNING last_value",
        {firm_id, kind});
    return row->i64("last_value");
}

}  // namespace cp::server::billing
