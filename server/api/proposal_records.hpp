#pragma once
// Proposal rules that need storage: the firm-local expiry check every state change runs
// first, shared by the proposal endpoints and acceptance.
#include "server/api/common.hpp"

namespace cp::api {

// A sent proposal past its expires_on (the firm's local date) becomes expired here, audited;
// true when it did. Callers then refuse the change they were asked for.
bool lapse_if_due(Ctx& ctx, storage::Row& proposal);

}  // namespace cp::api
