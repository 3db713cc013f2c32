#pragma once
// A card payment on an invoice, whoever asks for it (staff, a portal user, a signed link's
// visitor): the payment row is committed `pending` before the processor is called (outside
// any transaction), then settled in a new transaction. With an Idempotency-Key the
// processor key derives from it, so a retried request never charges twice.
#include <cstdint>
#include <optional>
#include <string>

#include "server/api/common.hpp"
#include "server/audit/audit_log.hpp"

namespace cp::api {

struct CardCharge {
    std::int64_t amount = 0;
    std::string payment_method;  // processor reference ("pm_…")
    std::string source;          // manual | portal | link
    std::string created_by;      // membership id, portal user id or "link:<id>"
    std::optional<std::string> reference;
};

struct CardChargeResult {
    std::string payment_id;
    std::string status;  // succeeded | failed | requires_action | pending (no answer yet)
};

// 409 NOT_PAYABLE unless `invoice` is an issued invoice (not void, refunded, disputed or
// charged back, not a credit note) with something due.
std::optional<Response> not_payable(Ctx& ctx, const storage::Row& invoice);

// `invoice` must be payable (the caller checked); `actor` is the audit actor.
CardChargeResult charge_card(Ctx& ctx, const storage::Row& invoice, const CardCharge& charge,
                             const server::audit::Event& actor);

}  // namespace cp::api
