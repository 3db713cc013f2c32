#include "shared/billing/draft_reader.hpp"

#include "shared/money/money.hpp"
#include "shared/validation/json_reader.hpp"

namespace cp::billing {

using validation::JsonReader;
using validation::Presence;

namespace {

void read_line(const nlohmann::json& json, size_t index, DraftReading& out) {
    JsonReader r(json, validation::index_path("lines", index), out.errors);
    if (!r.is_object()) return;
    LineItem line;
    if (const std::string* kind = r.one_of("kind", Presence::optional,
                                           {"package_fee", "time", "expense", "adjustment", "late_fee"})) {
        line.kind = *line_kind_from_string(*kind);
    }
    if (const std::string* d = r.string("description", Presence::optional, kMaxDescriptionLength, false, validation::Text::multi_line)) {
        line.description = *d;
    }
    auto quantity = r.decimal("quantity", Presence::required, kQuantityScale);
    auto unit_price = r.decimal("unit_price", Presence::required, kUnitPriceScale);
    auto tax_rate = r.decimal("tax_rate", Presence::required, kTaxRateScale);
    const bool rate_in_range = tax_rate.value_or(0) >= 0 && tax_rate.value_or(0) <= kMaxTaxRate;
    if (!rate_in_range) r.add("OUT_OF_RANGE", "tax_rate", "must be between 0 and 100 (percent)");
    if (quantity && unit_price && tax_rate && rate_in_range) {
        line.quantity = quantity.value_or(0);
        line.unit_price = unit_price.value_or(0);
        line.tax_rate = tax_rate.value_or(0);
        out.input.lines.push_back(std::move(line));
    }
}

}  // namespace

DraftReading read_invoice_draft(const nlohmann::json& draft) {
    DraftReading out;
    JsonReader r(draft, "", out.errors);
    if (!r.is_object()) return out;

    if (const std::string* code = r.string("currency", Presence::required)) {
        out.input.currency = money::find_currency(*code);
        if (!out.input.currency)
            r.add("UNKNOWN_CURRENCY", "currency", "is not a supported ISO 4217 currency");
    }
    if (const std::string* s = r.one_of("rounding", Presence::optional, {"half_up", "half_even"})) {
        out.input.rounding = *money::rounding_from_string(*s);
    }
    if (const std::string* s = r.one_of("tax_mode", Presence::optional, {"per_line", "per_document"})) {
        out.input.tax_mode = *tax_mode_from_string(*s);
    }
    if (const std::string* s = r.one_of("document_type", Presence::optional, {"invoice", "credit_note"})) {
        out.input.document_type = *document_type_from_string(*s);
    }
    {
        // Money, so the currency's own digits bound the decimals (USD "10.001" is wrong);
        // without a known currency the format is still checked, at the widest scale.
        const int32_t digits = out.input.currency ? out.input.currency->minor_digits : 4;
        if (auto paid = r.decimal("amount_paid", Presence::optional, digits)) {
            if (*paid < 0) {
                r.add("OUT_OF_RANGE", "amount_paid", "must not be negative");
            } else if (!money::within_amount_limit(*paid)) {
                r.add("OUT_OF_RANGE", "amount_paid", "amount is too large");
            } else if (out.input.currency) {
                out.input.amount_paid = *paid;
            }
        }
    }
    if (const nlohmann::json* lines = r.array("lines", Presence::required)) {
        if (lines->size() > kMaxLines) {
            r.add("TOO_MANY_LINES", "lines", "at most " + std::to_string(kMaxLines) + " lines");
        } else {
            out.input.lines.reserve(lines->size());
            for (size_t i = 0; i < lines->size(); ++i) read_line((*lines)[i], i, out);
        }
    }
    return out;
}

}  // namespace cp::billing
