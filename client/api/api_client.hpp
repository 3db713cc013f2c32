#pragma once
// The portal's only door to the network. Requests are asynchronous (emscripten_fetch,
// same origin); their results are queued and applied to AppState at the start of a frame.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "client/app/app_state.hpp"

namespace cp::portal {

struct ApiResult {
    int status = 0;  // 0 when the network failed before any HTTP answer
    std::string body;
    std::string break_glass;  // the X-Break-Glass header, if any
    std::string token;        // the bearer token the request was sent with ("" if none)
};

using ApiApply = std::function<void(AppState&, const ApiResult&)>;

using ExtraHeaders = std::vector<std::pair<std::string, std::string>>;

void api_request(const std::string& method, const std::string& path, const std::string& body,
                 const std::string& bearer_token, ApiApply apply, const ExtraHeaders& extra = {});

// Applies every finished request's result, in completion order.
void apply_api_results(AppState& state);

// The error an API body carries ({"error":{code,field,message}}), or a generic one.
Error error_from_api(const ApiResult& result);
// An answer's body read by the core's bounded JSON reader; a discarded value when it is not
// JSON (or too deep, or has repeated keys), so callers test is_object() as with nlohmann.
nlohmann::json parse_answer(const std::string& body);

}  // namespace cp::portal
