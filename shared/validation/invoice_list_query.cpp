#include "shared/validation/invoice_list_query.hpp"

#include "shared/time/civil.hpp"

namespace cp::validation {
namespace {

std::string sort_choices() {
    std::string list;
    for (const auto& k : kInvoiceSortKeys) list += (list.empty() ? "" : ", ") + std::string(k.name);
    return list;
}

}  // namespace

Result<InvoiceListQuery> read_invoice_list_query(const std::map<std::string, std::string>& query) {
    InvoiceListQuery out;
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
            auto it = query.find(name);
            if (it == query.end() || it->second.empty()) continue;
            if (!time::parse_iso_date(it->second)) {
                return Error{"INVALID_FILTER", name, std::string(name) + " must be a date written YYYY-MM-DD."};
            }
            *(name == range.from ? range.from_value : range.to_value) = it->second;
        }
        // ISO dates order as text.
        if (*range.from_value && *range.to_value && **range.to_value < **range.from_value) {
            return Error{"INVALID_FILTER", range.to,
                         std::string(range.to) + " is before the start of the range: no invoice could match."};
        }
    }
    if (auto it = query.find("sort"); it != query.end() && !it->second.empty()) {
        std::string name = it->second;
        if (name[0] == '-') {
            out.descending = true;
            name.erase(0, 1);
        }
        for (const auto& k : kInvoiceSortKeys) {
            if (name == k.name) out.sort = &k;
        }
        if (!out.sort) {
            return Error{"INVALID_FILTER", "sort",
                         "sort must be one of " + sort_choices() + ", with - in front for descending order."};
        }
    }
    return out;
}

}  // namespace cp::validation
