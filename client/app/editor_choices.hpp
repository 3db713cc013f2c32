#pragma once
// The invoice editor's closed choices, shared by the screen (combos) and the actions
// (the draft JSON): an index in the editor state names one of these.
namespace cp::portal {

inline constexpr const char* kCurrencies[] = {"USD", "EUR", "GBP", "CAD", "CHF", "JPY", "KWD"};
inline constexpr const char* kRoundings[] = {"half_up", "half_even"};
inline constexpr const char* kTaxModes[] = {"per_line", "per_document"};
// The staff invoice list's status filter ("all" sends none; the server computes overdue).
inline constexpr const char* kInvoiceStatusFilters[] = {"all", "draft", "sent", "partial", "overdue", "paid",
                                                         "disputed", "void", "charged_back", "refunded"};

}  // namespace cp::portal
