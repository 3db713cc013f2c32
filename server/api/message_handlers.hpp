#pragma once
// Handlers of the client email outbox (messages.cpp); apart from handlers.hpp so the
// many files that include that one do not depend on these.
#include "server/api/common.hpp"

namespace cp::api {

Response list_messages(Ctx&);
Response get_message(Ctx&);
Response resend_message(Ctx&);
Response preview_email_subjects(Ctx&);

}  // namespace cp::api
