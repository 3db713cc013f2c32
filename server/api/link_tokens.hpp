#pragma once
// What the public routes behind signed links share (invoice links, proposal links, portal
// invitations): the shape of a token before any lookup, and the staff view of a link row.
#include <cctype>
#include <nlohmann/json.hpp>
#include <string>

#include "server/api/common.hpp"

namespace cp::api {

// server::random_token()'s shape: 64 lowercase hex digits. Anything else is refused
// before it reaches the database.
inline bool is_link_token(const std::string& s) {
    if (s.size() != 64) return false;
    for (char c : s) {
        if (!std::isxdigit(static_cast<unsigned char>(c)) || std::isupper(static_cast<unsigned char>(c))) return false;
    }
    return true;
}

// A link row as staff see it (never its token): `object` names the kind, `parent` the
// column of what it opens ("invoice_id", "proposal_id").
inline nlohmann::json link_row_json(const storage::Row& l, const char* object, const char* parent) {
    auto t = [&](const char* c) { return l.is_null(c) ? nlohmann::json(nullptr) : nlohmann::json(iso(l.i64(c))); };
    return {{"object", object},
            {"id", l.str("id")},
            {parent, l.str(parent)},
            {"expires_at", iso(l.i64("expires_at"))},
            {"revoked_at", t("revoked_at")},
            {"views", l.i64("views")},
            {"last_viewed_at", t("last_viewed_at")},
            {"created_at", iso(l.i64("created_at"))}};
}

}  // namespace cp::api
