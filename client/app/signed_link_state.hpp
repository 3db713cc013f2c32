#pragma once
// What the portal holds while showing a signed invoice link (/i/<token>): no account, no
// session; everything comes from /api/v1/public/invoices/<token>.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "client/app/pay_form.hpp"
#include "shared/core/error.hpp"

namespace cp::portal {

// Why a link shows no invoice: each has its own screen with words, not a status code.
enum class LinkProblem { none, expired, not_valid, too_many_attempts, unreachable };

struct SignedLink {
    std::string token;
    bool loading = false;
    LinkProblem problem = LinkProblem::none;
    std::string problem_detail;  // the server's sentence (e.g. how long to wait)
    nlohmann::json view;         // {invoice, firm, client, payable, expires_at}
    nlohmann::json payments = nlohmann::json::array();
    bool payments_loaded = false;
    PayForm pay;
    int download_id = 0;  // the PDF download in progress (page::download_status), 0 if none
    std::string download_note;
};

}  // namespace cp::portal
