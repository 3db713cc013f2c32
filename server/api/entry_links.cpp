#include "server/api/entry_links.hpp"

#include <fmt/format.h>

#include <set>

#include "server/api/serializers.hpp"
#include "shared/billing/billable_amounts.hpp"
#include "shared/billing/draft_reader.hpp"
#include "shared/money/currency.hpp"
#include "shared/money/decimal.hpp"

namespace cp::api {
namespace {

struct Link {
    const char* key;    // line field
    const char* table;  // entries table
    const char* kind;   // line kind
};
constexpr Link kLinks[] = {{"time_entry_id", "time_entries", "time"}, {"expense_id", "expenses", "expense"}};

// "<date> <description>", cut to the core's line description limit on a UTF-8 boundary.
std::string line_description(const storage::Row& e) {
    std::string text = e.str("entry_date") + " " + e.str("description");
    std::size_t points = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 &&
            ++points > billing::kMaxDescriptionLength) {
            text.resize(i);
            break;
        }
    }
    return text;
}

std::string field(std::size_t i, const char* key) { return "lines[" + std::to_string(i) + "]." + key; }

std::optional<std::int64_t> scaled(const json& line, const char* key) {
    if (!line.contains(key) || !line[key].is_string()) return std::nullopt;
    auto v = money::parse_fixed(line[key].get<std::string>(), 4);
    return v ? std::optional<std::int64_t>(*v) : std::nullopt;
}

// The line an entry bills, as the generator wrote it: quantity and unit price at scale 10^4.
std::pair<std::int64_t, std::int64_t> expected(const Link& link, const storage::Row& e,
                                               const std::string& rounding) {
    if (std::string(link.table) == "time_entries") return {e.i64("hours") * 100, e.i64("rate")};
    const auto* currency = money::find_currency(e.str("currency"));
    auto billed = billing::expense_billed_amount(e.i64("amount"), e.i64("markup"),
                                                 *money::rounding_from_string(rounding));
    return {10'000, billed.value() * money::pow10(4 - currency->minor_digits)};
}

}  // namespace

Errors check_linked_lines(Ctx& ctx, const std::string& invoice_id, const json& lines,
                          const std::string& rounding) {
    Errors errors;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        // A time or expense line is an approved entry, never typed in: otherwise a PATCH that
        // drops a line's link would release the entry (to be billed again) and keep its amount.
        for (const auto& link : kLinks) {
            if (str_or(lines[i], "kind", "") == link.kind && !lines[i].contains(link.key)) {
                errors.push_back({"ENTRY_REQUIRED", field(i, link.key),
                                  std::string("a ") + link.kind + " line bills an approved entry this draft "
                                  "holds; a charge typed in is an adjustment"});
            }
        }
        for (const auto& link : kLinks) {
            if (!lines[i].contains(link.key)) continue;
            const std::string id = lines[i][link.key].is_string() ? lines[i][link.key].get<std::string>()
                                                                  : lines[i][link.key].dump();
            auto e =
                ctx.tx().query_one(fmt::format("SELECT * FROM {} WHERE id = ? AND firm_id = ?", link.table),
                                   {id, ctx.principal.firm_id});
            if (!e || e->is_null("invoice_id") || e->str("invoice_id") != invoice_id ||
                !seen.insert(id).second) {
                errors.push_back({"ENTRY_NOT_AVAILABLE", field(i, link.key),
                                  "only entries this draft holds can be billed here, once each; use "
                                  "/engagements/{id}/hourly-invoice to bill new ones"});
                continue;
            }
            auto [quantity, unit_price] = expected(link, *e, rounding);
            if (str_or(lines[i], "kind", "adjustment") != link.kind ||
                scaled(lines[i], "quantity") != quantity || scaled(lines[i], "unit_price") != unit_price) {
                errors.push_back({"LINE_MISMATCH", field(i, link.key),
                                  "a line billing an entry keeps its kind, quantity and unit price"});
            }
        }
    }
    return errors;
}

void release_entries(Ctx& ctx, const std::string& invoice_id) {
    for (const auto& link : kLinks) {
        ctx.tx().exec(
            fmt::format(
                "UPDATE {} SET invoice_id = NULL, updated_at = ? WHERE firm_id = ? AND invoice_id = ?",
                link.table),
            {ctx.now, ctx.principal.firm_id, invoice_id});
    }
}

void relink_entries(Ctx& ctx, const std::string& invoice_id, const json& lines) {
    release_entries(ctx, invoice_id);
    for (const auto& line : lines) {
        for (const auto& link : kLinks) {
            if (!line.contains(link.key)) continue;
            ctx.tx().exec(
                fmt::format("UPDATE {} SET invoice_id = ?, updated_at = ? WHERE id = ? AND firm_id = ?",
                            link.table),
                {invoice_id, ctx.now, line[link.key].get<std::string>(), ctx.principal.firm_id});
        }
    }
}

Errors unapproved_entries(Ctx& ctx, const std::string& invoice_id) {
    Errors errors;
    for (const auto& l : ctx.tx().query("SELECT position, time_entry_id, expense_id FROM invoice_lines WHERE "
                                        "invoice_id = ? AND firm_id = ? "
                                        "ORDER BY position",
                                        {invoice_id, ctx.principal.firm_id})) {
        for (const auto& link : kLinks) {
            if (l.is_null(link.key)) continue;
            auto e = ctx.tx().query_one(
                fmt::format("SELECT approved_at, billable FROM {} WHERE id = ? AND firm_id = ?", link.table),
                {l.str(link.key), ctx.principal.firm_id});
            if (!e || e->is_null("approved_at") || !e->flag("billable")) {
                errors.push_back({"ENTRY_NOT_APPROVED",
                                  field(static_cast<std::size_t>(l.i64("position")), link.key),
                                  "an issued invoice may only bill approved, billable entries"});
            }
        }
    }
    return errors;
}

json time_line(const storage::Row& e, const std::string& currency, const std::string& tax_rate) {
    return {{"kind", "time"},
            {"description", line_description(e)},
            {"quantity", money::format_fixed(e.i64("hours"), 2)},
            {"unit_price", rate_text(e.i64("rate"), money::find_currency(currency)->minor_digits)},
            {"tax_rate", tax_rate},
            {"time_entry_id", e.str("id")}};
}

json expense_line(const storage::Row& e, const std::string& rounding, const std::string& tax_rate) {
    const auto* currency = money::find_currency(e.str("currency"));
    auto billed = billing::expense_billed_amount(e.i64("amount"), e.i64("markup"),
                                                 *money::rounding_from_string(rounding));
    return {
        {"kind", "expense"},    {"description", line_description(e)},
        {"quantity", "1"},      {"unit_price", money::format_fixed(billed.value(), currency->minor_digits)},
        {"tax_rate", tax_rate}, {"expense_id", e.str("id")}};
}

}  // namespace cp::api
