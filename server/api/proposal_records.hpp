#pragma once
// Proposal rules that need storage: the firm-local expiry check every state change runs
// first, shared by the proposal endpoints and acceptance.
#include "server/api/common.hpp"

namespace cp::api {

// A sent proposal past its expires_on (the firm's local date) becomes expired here, audited;
// true when it did. Callers then refuse the change they were asked for.
bool lapse_if_due(Ctx& ctx, storage::Row& proposal);

// Who accepts: staff on the client's behalf, or the client through a signed link.
struct Acceptor {
    std::string via = "staff";  // staff | link
    std::string accepted_by;    // the member's email; the client's email or name through a link
    std::string link_id;        // the signed link used, if any
};

// The one atomic, idempotent acceptance (proposal_acceptance.cpp) of the firm's proposal
// `proposal_id` (the firm is ctx.principal.firm_id): 201 with client, contract and
// engagement v1; 200 with the same when it was accepted already; 409 INVALID_TRANSITION
// for a draft, declined or expired one.
Response accept_proposal_as(Ctx& ctx, const std::string& proposal_id, const Acceptor& who);

// Records the prospect's refusal of a sent proposal (proposals.cpp); `via` goes in the audit.
Response decline_proposal_as(Ctx& ctx, const std::string& proposal_id, const json& detail);

}  // namespace cp::api
