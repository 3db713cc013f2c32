#include "server/audit/audit_log.hpp"
#include "server/audit/chain_appender.hpp"

#include <map>

#include "server/util/clock.hpp"
#include "server/util/crypto.hpp"

namespace cp::server::audit {
namespace {

using nlohmann::json;
constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kYear = 365 * kDay;
const std::string kGenesis(64, '0');

const std::map<std::string, std::int64_t>& retention_table() {
    static const std::map<std::string, std::int64_t> table = {
        {"AUTH", kYear},      {"PERMISSIONS", 3 * kYear}, {"BREAK_GLASS", 7 * kYear}, {"BILLING", 7 * kYear},
        {"PURGE", 7 * kYear}, {"CONFIG", kYear},          {"DATA_ACCESS", kYear},     {"SYSTEM", 90 * kDay},
    };
    return table;
}

// The hashed header: a JSON array is an unambiguous encoding of the fields.
std::string header_of(const std::string& firm_id, std::int64_t seq, std::int64_t created_at,
                      const std::string& category, const std::string& action, const std::string& severity,
                      const std::string& actor_type, const std::string& actor_id,
                      const std::string& actor_role, const std::string& break_glass_id,
                      const std::string& target_type, const std::string& target_id,
                      const std::string& outcome, std::int64_t retain_until, const std::string& payload_hash,
                      const std::string& prev_hash) {
    return json::array({firm_id, seq, created_at, category, action, severity, actor_type, actor_id,
                        actor_role, break_glass_id, target_type, target_id, outcome, retain_until,
                        payload_hash, prev_hash})
        .dump();
}

std::string row_hash(const storage::Row& r) {
    return sha256_hex(header_of(r.str("firm_id"), r.i64("seq"), r.i64("created_at"), r.str("category"),
                                r.str("action"), r.str("severity"), r.str("actor_type"), r.str("actor_id"),
                                r.str("actor_role"), r.str("break_glass_id"), r.str("target_type"),
                                r.str("target_id"), r.str("outcome"), r.i64("retain_until"),
                                r.str("payload_hash"), r.str("prev_hash")));
}

}  // namespace

std::string exported_event_hash(const nlohmann::json& r) {
    auto text = [&](const char* k) { return r.contains(k) && r[k].is_string() ? r[k].get<std::string>() : std::string(); };
    auto num = [&](const char* k) { return r.contains(k) && r[k].is_number_integer() ? r[k].get<std::int64_t>() : 0; };
    return sha256_hex(header_of(text("firm_id"), num("seq"), num("created_at"), text("category"), text("action"),
                                text("severity"), text("actor_type"), text("actor_id"), text("actor_role"),
                                text("break_glass_id"), text("target_type"), text("target_id"), text("outcome"),
                                num("retain_until"), text("payload_hash"), text("prev_hash")));
}

std::string genesis_hash() { return kGenesis; }

std::int64_t retention_seconds(const std::string& category) {
    auto it = retention_table().find(category);
    return it == retention_table().end() ? 7 * kYear : it->second;
}

bool is_category(const std::string& category) { return retention_table().count(category) > 0; }

ChainHead read_chain_head(storage::Transaction& tx, const std::string& firm_id) {
    // FOR UPDATE on PostgreSQL: a second appender to this chain waits for our commit and
    // then reads the new head. SQLite's BEGIN IMMEDIATE already serialises writers.
    auto head = tx.query_one(tx.backend() == "postgresql"
                                 ? "SELECT seq, hash FROM audit_chain_heads WHERE firm_id = ? FOR UPDATE"
                                 : "SELECT seq, hash FROM audit_chain_heads WHERE firm_id = ?",
                             {firm_id});
    if (!head) return ChainHead{false, 0, kGenesis};
    return ChainHead{true, head->i64("seq"), head->str("hash")};
}

void ChainRows::add(const Event& e, std::int64_t now) {
    if (!is_category(e.category)) throw std::logic_error("unknown audit category " + e.category);
    if (e.firm_id != firm_id_) throw std::logic_error("audit event for another chain");
    const std::int64_t seq = head_.seq + 1;
    std::string payload = json{
        {"actor_email", e.actor_email},
        {"target_label", e.target_label},
        {"reason", e.reason},
        {"metadata",
         e.metadata}}.dump();
    std::string payload_hash = sha256_hex(payload);
    std::int64_t retain_until = now + retention_seconds(e.category);
    std::string hash = sha256_hex(header_of(e.firm_id, seq, now, e.category, e.action, e.severity, e.actor_type,
                                            e.actor_id, e.actor_role, e.break_glass_id, e.target_type, e.target_id,
                                            e.outcome, retain_until, payload_hash, head_.hash));
    rows_.push_back({new_id("evt"), e.firm_id, seq, now, e.category, e.action, e.severity, e.actor_type, e.actor_id,
                     e.actor_role, e.break_glass_id, e.target_type, e.target_id, e.outcome, retain_until,
                     std::move(payload), std::move(payload_hash), head_.hash, hash});
    head_.seq = seq;
    head_.hash = std::move(hash);
}

void ChainRows::write(storage::Transaction& tx, const ChainHead& before) {
    if (rows_.empty()) return;
    storage::BulkInsert insert(tx, "audit_events",
                               {"id", "firm_id", "seq", "created_at", "category", "action", "severity", "actor_type",
                                "actor_id", "actor_role", "break_glass_id", "target_type", "target_id", "outcome",
                                "retain_until", "payload", "payload_hash", "prev_hash", "hash"});
    for (auto& r : rows_) insert.add(std::move(r));
    rows_.clear();
    insert.flush();
    // The head row's primary key also serialises concurrent appends to one chain.
    if (before.exists) {
        tx.exec("UPDATE audit_chain_heads SET seq = ?, hash = ? WHERE firm_id = ?", {head_.seq, head_.hash, firm_id_});
    } else {
        tx.exec("INSERT INTO audit_chain_heads (firm_id, seq, hash) VALUES (?, ?, ?)",
                {firm_id_, head_.seq, head_.hash});
    }
    head_.exists = true;
}

ChainAppender::ChainAppender(storage::Transaction& tx, const std::string& firm_id)
    : tx_(tx), written_(read_chain_head(tx, firm_id)), rows_(firm_id, written_) {}

void ChainAppender::add(const Event& e, std::int64_t now) { rows_.add(e, now); }

void ChainAppender::finish() {
    if (rows_.size() == 0) return;
    rows_.write(tx_, written_);
    written_ = rows_.head();
}

void append(storage::Transaction& tx, const Event& e, std::int64_t now) {
    if (!is_category(e.category)) throw std::logic_error("unknown audit category " + e.category);
    ChainAppender chain(tx, e.firm_id);
    chain.add(e, now);
    chain.finish();
}

Verification verify_chain(storage::Transaction& tx, const std::string& firm_id, std::int64_t now) {
    Verification v;
    v.firm_id = firm_id;
    auto rows = tx.query("SELECT * FROM audit_events WHERE firm_id = ? ORDER BY seq", {firm_id});
    std::string prev = kGenesis;
    std::int64_t expected_seq = 1;
    for (const auto& r : rows) {
        ++v.checked;
        std::int64_t seq = r.i64("seq");
        if (seq != expected_seq) {
            v.problems.push_back(
                {seq, "sequence gap: expected " + std::to_string(expected_seq) + " (row deleted?)"});
        }
        if (r.str("prev_hash") != prev) v.problems.push_back({seq, "previous-hash link broken"});
        if (row_hash(r) != r.str("hash"))
            v.problems.push_back({seq, "header does not match its hash (row edited)"});
        if (r.is_null("payload")) {
            if (r.is_null("redacted_at") || r.i64("redacted_at") < r.i64("retain_until")) {
                v.problems.push_back({seq, "payload removed before its retention ended"});
            }
        } else if (sha256_hex(r.str("payload")) != r.str("payload_hash")) {
            v.problems.push_back({seq, "payload does not match its hash (row edited)"});
        }
        prev = r.str("hash");
        expected_seq = seq + 1;
    }
    auto head = tx.query_one("SELECT seq, hash FROM audit_chain_heads WHERE firm_id = ?", {firm_id});
    if (head && (head->i64("seq") != expected_seq - 1 || head->str("hash") != prev)) {
        v.problems.push_back({head->i64("seq"), "newest events missing: chain head does not match"});
    }
    (void)now;
    return v;
}

std::vector<std::string> chain_ids(storage::Transaction& tx) {
    std::vector<std::string> out;
    for (const auto& r : tx.query("SELECT firm_id FROM audit_chain_heads ORDER BY firm_id")) {
        out.push_back(r.str("firm_id"));
    }
    return out;
}

std::int64_t apply_retention(storage::Transaction& tx, std::int64_t now) {
    auto rows =
        tx.query("SELECT id FROM audit_events WHERE retain_until <= ? AND payload IS NOT NULL", {now});
    for (const auto& r : rows) {
        tx.exec("UPDATE audit_events SET payload = NULL, redacted_at = ? WHERE id = ?", {now, r.str("id")});
    }
    return static_cast<std::int64_t>(rows.size());
}

json to_json(const storage::Row& r) {
    json payload = r.is_null("payload") ? json::object() : json::parse(r.str("payload"), nullptr, false);
    if (payload.is_discarded()) payload = json::object();
    auto blank_null = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
    return {
        {"object", "audit_event"},
        {"id", r.str("id")},
        {"seq", r.i64("seq")},
        {"created_at", iso_time(r.i64("created_at"))},
        {"category", r.str("category")},
        {"action", r.str("action")},
        {"severity", r.str("severity")},
        {"actor",
         {{"type", r.str("actor_type")},
          {"id", blank_null(r.str("actor_id"))},
          {"role", blank_null(r.str("actor_role"))},
          {"email", payload.value("actor_email", json(nullptr))},
          {"break_glass_session_id", blank_null(r.str("break_glass_id"))}}},
        {"target",
         {{"type", blank_null(r.str("target_type"))},
          {"id", blank_null(r.str("target_id"))},
          {"label", payload.value("target_label", json(nullptr))}}},
        {"reason", payload.value("reason", json(nullptr))},
        {"outcome", r.str("outcome")},
        {"metadata", payload.value("metadata", json::object())},
        {"redacted", !r.is_null("redacted_at")},
        {"retain_until", iso_time(r.i64("retain_until"))},
        {"hash", r.str("hash")},
    };
}

}  // namespace cp::server::audit
