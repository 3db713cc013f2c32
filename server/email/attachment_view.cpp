#include "server/email/attachment_view.hpp"

#include "server/api/serializers.hpp"
#include "server/util/clock.hpp"

namespace cp::server::email {

using nlohmann::json;

namespace {

// What may change on an issued document after its message was composed.
constexpr const char* kAsComposed[] = {"status", "amount_paid", "amount_credited", "balance_due", "void_reason",
                                       "updated_at"};

json party_json(const AttachmentParty& p) { return {{"name", p.name}, {"detail", p.detail}}; }

}  // namespace

std::string attachment_reference(const storage::Row& inv, const AttachmentParty& firm,
                                 const AttachmentParty& client) {
    const std::string currency = inv.str("currency");
    return json{{"invoice_id", inv.str("id")},
                {"as_composed",
                 {{"status", inv.str("status")},
                  {"amount_paid", api::money_text(inv.i64("amount_paid"), currency)},
                  {"amount_credited", api::money_text(inv.i64("amount_credited"), currency)},
                  {"balance_due", api::money_text(inv.i64("balance_due"), currency)},
                  {"void_reason", inv.is_null("void_reason") ? json(nullptr) : json(inv.str("void_reason"))},
                  {"updated_at", iso_time(inv.i64("updated_at"))}}},
                {"firm", party_json(firm)},
                {"client", party_json(client)}}
        .dump();
}

json resolve_attachment(storage::Transaction& tx, const std::string& firm_id, const std::string& stored) {
    json ref = json::parse(stored);
    if (ref.contains("invoice")) return ref;  // a whole view, from before references
    const std::string id = ref.at("invoice_id").get<std::string>();
    auto inv = tx.query_one("SELECT * FROM invoices WHERE id = ? AND firm_id = ?", {id, firm_id});
    if (!inv) throw AttachmentGone("the invoice " + id + " of the attachment no longer exists");
    json view = api::invoice_json(*inv);
    json lines = json::array();
    for (const auto& l : tx.query("SELECT * FROM invoice_lines WHERE invoice_id = ? AND firm_id = ? ORDER BY position",
                                  {id, firm_id})) {
        lines.push_back(api::invoice_line_json(l, inv->str("currency")));
    }
    view["lines"] = std::move(lines);
    for (const char* field : kAsComposed) view[field] = ref.at("as_composed").at(field);
    return {{"invoice", std::move(view)}, {"firm", ref.at("firm")}, {"client", ref.at("client")}};
}

}  // namespace cp::server::email
