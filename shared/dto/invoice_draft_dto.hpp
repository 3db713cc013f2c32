#pragma once
// The invoice draft as plain data, shared by the portal editor (which builds it from
// text fields) and the server (which stores it). Decimals stay strings exactly as typed:
// the arithmetic reads them through billing/draft_reader.hpp, never through doubles.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "shared/core/error.hpp"

namespace cp::dto {

struct InvoiceLineDto {
    std::string kind = "adjustment";
    std::string description;
    std::string quantity;
    std::string unit_price;
    std::string tax_rate;
};

struct InvoiceDraftDto {
    std::string client_id;  // ids as strings: exact in JavaScript whatever their size
    std::optional<std::string> engagement_id;
    std::string currency = "USD";
    std::string rounding = "half_up";
    std::string tax_mode = "per_line";
    std::string document_type = "invoice";
    std::optional<std::string> issue_date;
    std::optional<std::string> due_date;
    std::string notes;
    std::vector<InvoiceLineDto> lines;
};

// The body validate_invoice_draft and preview_invoice accept (absent optionals omitted).
nlohmann::json to_json(const InvoiceDraftDto& d);

// Validates with validate_invoice_draft(Mode::create), then reads; all errors or the DTO.
// Numeric ids in the JSON become their decimal strings.
Result<InvoiceDraftDto> invoice_draft_from_json(const nlohmann::json& j, Errors* all_errors = nullptr);

}  // namespace cp::dto
