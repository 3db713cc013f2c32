#include "shared/dto/invoice_draft_dto.hpp"

#include "shared/validation/invoice_draft_validation.hpp"

namespace cp::dto {

nlohmann::json to_json(const InvoiceDraftDto& d) {
    nlohmann::json lines = nlohmann::json::array();
    for (const InvoiceLineDto& l : d.lines) {
        lines.push_back({{"kind", l.kind},
                         {"description", l.description},
                         {"quantity", l.quantity},
                         {"unit_price", l.unit_price},
                         {"tax_rate", l.tax_rate}});
    }
    nlohmann::json j{{"client_id", d.client_id}, {"currency", d.currency},           {"rounding", d.rounding},
                     {"tax_mode", d.tax_mode},   {"document_type", d.document_type}, {"notes", d.notes},
                     {"lines", std::move(lines)}};
    if (d.engagement_id) j["engagement_id"] = *d.engagement_id;
    if (d.issue_date) j["issue_date"] = *d.issue_date;
    if (d.due_date) j["due_date"] = *d.due_date;
    return j;
}

namespace {

// Only called after validation, so types are known; still checked, never thrown.
std::string text(const nlohmann::json& j, const char* key, std::string fallback = "") {
    auto it = j.find(key);
    if (it == j.end()) return fallback;
    if (it->is_string()) return *it->get_ptr<const std::string*>();
    if (it->is_number_unsigned())
        return std::to_string(*it->get_ptr<const nlohmann::json::number_unsigned_t*>());
    if (it->is_number_integer())
        return std::to_string(*it->get_ptr<const nlohmann::json::number_integer_t*>());
    return fallback;
}

std::optional<std::string> optional_text(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    return text(j, key);
}

}  // namespace

Result<InvoiceDraftDto> invoice_draft_from_json(const nlohmann::json& j, Errors* all_errors) {
    Errors errors = validation::validate_invoice_draft(j, validation::Mode::create);
    if (!errors.empty()) {
        if (all_errors) *all_errors = errors;
        return errors.front();
    }
    InvoiceDraftDto d;
    d.client_id = text(j, "client_id");
    d.engagement_id = optional_text(j, "engagement_id");
    d.currency = text(j, "currency", d.currency);
    d.rounding = text(j, "rounding", d.rounding);
    d.tax_mode = text(j, "tax_mode", d.tax_mode);
    d.document_type = text(j, "document_type", d.document_type);
    d.issue_date = optional_text(j, "issue_date");
    d.due_date = optional_text(j, "due_date");
    d.notes = text(j, "notes");
    for (const auto& l : *j.find("lines")) {
        InvoiceLineDto line;
        line.kind = text(l, "kind", line.kind);
        line.description = text(l, "description");
        line.quantity = text(l, "quantity");
        line.unit_price = text(l, "unit_price");
        line.tax_rate = text(l, "tax_rate");
        d.lines.push_back(std::move(line));
    }
    return d;
}

}  // namespace cp::dto
