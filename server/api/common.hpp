#pragma once
// Response and request helpers shared by every resource file: the one error body shape,
// JSON parsing, pagination, small row-to-JSON conversions.
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/app/context.hpp"
#include "shared/core/error.hpp"

namespace cp::api {

using http::Response;
using nlohmann::json;
using server::Ctx;

Response json_response(int status, const json& body);

// Out of line on purpose: g++ 12 -O2 reports false -Warray-bounds when Response::set_header
// is inlined with short string literals.
void add_header(Response& response, std::string_view name, std::string_view value);

// {"error":{code,field,message},"errors":[...]}: `error` is the first of `errors`.
Response error_response(int status, const Errors& errors);
Response error_response(int status, std::string code, std::string message, std::string field = "");

// The one 404: byte-identical for a missing id and another firm's id.
Response not_found();
Response forbidden(std::string code = "FORBIDDEN", std::string message = "You may not do this.");
Response validation_failed(const Errors& errors);  // 422

// UNKNOWN_TIME_ZONE when body["time_zone"] is a well-formed zone name (the core's check)
// with no zone data installed; nothing when absent or already reported as invalid.
void check_time_zone_installed(const json& body, Errors& errors);

// Begins a password check under the login throttle (server/auth/throttle.hpp), keyed on
// `account` and the caller's address: the 429 with Retry-After when over a limit, else
// nullopt (call the throttle's attempt_succeeded once the password matched).
std::optional<Response> begin_password_attempt(Ctx& ctx, const std::string& account);
// 429 TOO_MANY_ATTEMPTS with Retry-After and the wait spelled out in the message.
Response too_many_attempts(std::int64_t wait_seconds);

// Argon2id on the app's bounded pool (server/auth/password_workers.hpp), off the request
// thread. nullopt, with `busy` set to 503 PASSWORD_CHECKS_BUSY and Retry-After, when the
// pool's queue is full.
std::optional<std::string> hash_password(Ctx& ctx, std::string_view password, Response& busy);
std::optional<bool> verify_password(Ctx& ctx, const std::string& stored_hash, std::string_view password,
                                    Response& busy);

// Parses a JSON object body through the core's bounded reader; nullopt with `error` set to
// 415 UNSUPPORTED_MEDIA_TYPE (not Content-Type: application/json) or 400 INVALID_JSON.
std::optional<json> parse_object(const Ctx& ctx, Response& error);

struct Page {
    std::int64_t limit = 50;
    std::string cursor;  // id (or seq) after which to continue; empty for the first page
};
// limit: default 50, 1..200, anything else 400 INVALID_PAGINATION.
std::optional<Page> parse_page(const Ctx& ctx, Response& error);

// A filter whose values are a closed set (a state machine's names, read by `parse`, which
// returns a Result): any other value is a 400 INVALID_FILTER at its name, not an empty page
// that reads as "nothing matches".
template <class Parse>
bool check_filter_choice(const Ctx& ctx, const char* name, Parse parse, Response& error) {
    auto it = ctx.req.query.find(name);
    if (it == ctx.req.query.end() || it->second.empty()) return true;
    if (auto parsed = parse(it->second)) return true;
    error = error_response(400, "INVALID_FILTER", std::string(name) + " " + parse(it->second).error().message, name);
    return false;
}
// The same for a short fixed list of words.
bool check_filter_choice(const Ctx& ctx, const char* name, std::initializer_list<std::string_view> allowed,
                         Response& error);

// Appends " AND <name> = ?" for each of `names` present in the query string. Filter values
// are bounded like search terms (at most 100 characters, else 400 INVALID_FILTER), so a
// list request cannot smuggle an unbounded string into a query.
bool add_exact_filters(const Ctx& ctx, std::initializer_list<const char*> names, std::string& sql,
                       storage::Params& params, Response& error);
// `?q=`: appends a case-insensitive substring match on `column` when q is present and not
// empty. Bounded like the other filters (400 INVALID_FILTER past 100 characters); LIKE's
// wildcards in the term match literally, so "50%" finds "50%" and not everything.
bool add_search_filter(const Ctx& ctx, const char* column, std::string& sql, storage::Params& params,
                       Response& error);

// {"object":"list","data":[...],"has_more":..,"next_cursor":..}. `rows` holds one more
// item than the page when there is more (the caller fetched limit + 1).
json list_body(json items, const Page& page, const std::string& cursor_field = "id");

// Reads an optional string member ("" when absent or not a string).
std::string str_or(const json& body, const char* key, std::string fallback = "");

std::string iso(std::int64_t unix_seconds);
json opt_string(const std::optional<std::string>& s);

}  // namespace cp::api

#include "server/audit/audit_log.hpp"

namespace cp::api {
// An audit event pre-filled with the caller as actor and the caller's firm as chain.
server::audit::Event audit_event(const Ctx& ctx, std::string category, std::string action,
                                 std::string severity = "INFO");
void record(Ctx& ctx, const server::audit::Event& event);
}  // namespace cp::api
