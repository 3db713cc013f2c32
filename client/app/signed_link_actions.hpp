#pragma once
// The signed invoice link (/i/<token>): opened without an account, read-only, payable.
// Requests carry no bearer token; the link's token is in the path.
#include <optional>
#include <string>

#include "client/app/app_state.hpp"

namespace cp::portal {

// The token of a signed-link path ("/i/<token>"), or nullopt for any other path. Only
// URL-safe characters are taken, so the token can go into an API path as it is.
std::optional<std::string> signed_link_token(const std::string& path);

// Shows the link's screen and asks for the invoice and its payments.
void open_signed_link(AppState& state, const std::string& token);
void load_link_payments(AppState& state);
// Pays what the form says (checked by the core first; nothing is sent when it refuses).
void pay_signed_link(AppState& state);
// Saves the invoice's PDF through the browser (GET …/pdf).
void download_link_pdf(AppState& state);
// Follows a running PDF download; call once per frame.
void poll_link_download(AppState& state);

}  // namespace cp::portal
