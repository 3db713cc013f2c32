#include "shared/validation/invoice_list_query.hpp"

#include "shared/state/invoice_status.hpp"
#include "shared/time/civil.hpp"

namespace cp::validation {
namespace {

std::string sort_choices() {
    std::string list;
    for (const auto& k : kInvoiceSortKeys) list += (list.empty() ? "" : ", ") + std::string(k.name);
    return list;
}

const std::string* find(const std::map<std::string, std::string>& query, const char* name) {
    auto it = query.find(name);
    return it == query.end() || it->second.empty() ? nullptr : &it->second;
}

}  // namespace

std::string InvoiceListQuery::sort_spec() const {
    if (!sort) return {};
    return (descending ? "-" : "") + std::string(sort->name);
}

InvoiceListQuery read_invoice_list_query(const std::map<std::string, std::string>& query, Errors& errors) {
    InvoiceListQuery out;
    if (const auto* status = find(query, "status"); status && !state::invoice_status_from_string(*status)) {
        errors.push_back({"INVALID_FILTER", "status",
                          "status must be an invoice status: draft, sent, partial, paid, overdue, void, failed, "
                          "disputed, charged_back or refunded."});
    }
    if (const auto* type = find(query, "document_type"); type && *type != "invoice" && *type != "credit_note") {
        errors.push_back({"INVALID_FILTER", "document_type", "document_type must be invoice or credit_note."});
    }
    struct Range {
        const char* from;
        const char* to;
        std::optional<std::string>* from_value;
        std::optional<std::string>* to_value;
    };
    const Range ranges[] = {{"issued_from", "issued_to", &out.issued_from, &out.issued_to},
                            {"due_from", "due_to", &out.due_from, &out.due_to}};
    for (const auto& range : ranges) {
        for (const char* name : {range.from, range.to}) {
            const auto* text = find(query, name);
            if (!text) continue;
            if (!time::parse_iso_date(*text)) {
                errors.push_back({"INVALID_FILTER", name, std::string(name) + " must be a date written YYYY-MM-DD."});
                continue;
            }
            *(name == range.from ? range.from_value : range.to_value) = *text;
        }
        // ISO dates order as text.
        if (*range.from_value && *range.to_value && **range.to_value < **range.from_value) {
            errors.push_back({"INVALID_FILTER", range.to,
                              std::string(range.to) + " is before the start of the range: no invoice could match."});
        }
    }
    if (const auto* sort = find(query, "sort")) {
        std::string name = *sort;
        if (name[0] == '-') {
            out.descending = true;
            name.erase(0, 1);
        }
        for (const auto& k : kInvoiceSortKeys) {
            if (name == k.name) out.sort = &k;
        }
        if (!out.sort) {
            out.descending = false;
            errors.push_back({"INVALID_FILTER", "sort",
                              "sort must be one of " + sort_choices() + ", with - in front for descending order."});
        }
    }
    return out;
}

}  // namespace cp::validation
