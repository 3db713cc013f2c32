#include "client/api/api_client.hpp"

#include <emscripten/fetch.h>

#include <cstring>
#include <deque>
#include <memory>
#include <vector>

#include "client/app/actions.hpp"
#include "client/app/break_glass_banner.hpp"
#include "client/platform/fonts.hpp"
#include "shared/protocol/json_input.hpp"

namespace cp::portal {
namespace {

struct Pending {
    ApiApply apply;
    std::string token;
    std::string body;  // must outlive the fetch: emscripten_fetch does not copy it
    std::vector<std::string> header_storage;
    std::vector<const char*> headers;
};

struct Finished {
    ApiApply apply;
    ApiResult result;
};

std::deque<Finished>& finished_queue() {
    static std::deque<Finished> queue;  // filled by fetch callbacks, drained once per frame
    return queue;
}

std::string header_value(emscripten_fetch_t* fetch, const char* lower_name) {
    size_t length = emscripten_fetch_get_response_headers_length(fetch);
    if (length == 0) return {};
    std::string raw(length + 1, '\0');
    emscripten_fetch_get_response_headers(fetch, raw.data(), raw.size());
    raw.resize(length);
    // Lines are "name: value\r\n"; browsers report names in lower case.
    size_t pos = 0;
    while (pos < raw.size()) {
        size_t end = raw.find('\n', pos);
        std::string line = raw.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        pos = end == std::string::npos ? raw.size() : end + 1;
        size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string name = line.substr(0, colon);
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (name != lower_name) continue;
        std::string value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ')) value.erase(value.begin());
        while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.pop_back();
        return value;
    }
    return {};
}

void on_done(emscripten_fetch_t* fetch) {
    std::unique_ptr<Pending> pending(static_cast<Pending*>(fetch->userData));
    Finished done{std::move(pending->apply), {}};
    done.result.token = pending->token;
    done.result.status = fetch->status;
    if (fetch->data && fetch->numBytes > 0) {
        done.result.body.assign(fetch->data, static_cast<size_t>(fetch->numBytes));
    }
    done.result.break_glass = header_value(fetch, "x-break-glass");
    want_fonts_for(done.result.body);  // a CJK client name fetches the CJK face
    emscripten_fetch_close(fetch);
    finished_queue().push_back(std::move(done));
}

}  // namespace

void api_request(const std::string& method, const std::string& path, const std::string& body,
                 const std::string& bearer_token, ApiApply apply, const ExtraHeaders& extra) {
    auto pending = std::make_unique<Pending>();
    pending->apply = std::move(apply);
    pending->token = bearer_token;
    pending->body = body;
    pending->header_storage = {"Accept", "application/json"};
    if (!body.empty()) {
        pending->header_storage.insert(pending->header_storage.end(),
                                       {"Content-Type", "application/json"});
    }
    if (!bearer_token.empty()) {
        pending->header_storage.insert(pending->header_storage.end(),
                                       {"Authorization", "Bearer " + bearer_token});
    }
    for (const auto& [name, value] : extra) {
        pending->header_storage.insert(pending->header_storage.end(), {name, value});
    }
    for (const auto& h : pending->header_storage) pending->headers.push_back(h.c_str());
    pending->headers.push_back(nullptr);

    emscripten_fetch_attr_t attr;
    emscripten_fetch_attr_init(&attr);
    std::strncpy(attr.requestMethod, method.c_str(), sizeof(attr.requestMethod) - 1);
    attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY;
    attr.requestHeaders = pending->headers.data();
    if (!pending->body.empty()) {
        attr.requestData = pending->body.data();
        attr.requestDataSize = pending->body.size();
    }
    attr.onsuccess = on_done;
    attr.onerror = on_done;  // HTTP errors carry bodies we want (error codes)
    attr.userData = pending.release();
    emscripten_fetch(&attr, path.c_str());
}

void apply_api_results(AppState& state) {
    auto& queue = finished_queue();
    while (!queue.empty()) {
        Finished done = std::move(queue.front());
        queue.pop_front();
        const auto& r = done.result;
        const bool current_session = !r.token.empty() && r.token == state.session.token;
        if (current_session && r.status == 401) {
            end_expired_session(state);  // expired or revoked: one clear screen, not an error code
            continue;
        }
        // Every answer to the current staff session says whether an operator is inside the
        // firm; the banner follows the latest one. Client portal users never see it.
        if (current_session && r.status >= 200 && r.status < 500 && !state.session.is_portal_user) {
            update_break_glass(state.break_glass, r.break_glass);
        }
        done.apply(state, r);
    }
}

nlohmann::json parse_answer(const std::string& body) {
    auto parsed = protocol::parse_json_input(body);
    if (!parsed) return nlohmann::json(nlohmann::json::value_t::discarded);
    return std::move(parsed).value();
}

Error error_from_api(const ApiResult& result) {
    if (result.status == 0) {
        return {"NETWORK_ERROR", "", "The server could not be reached."};
    }
    auto body = parse_answer(result.body);
    if (body.is_object() && body.contains("error") && body["error"].is_object()) {
        const auto& e = body["error"];
        auto text = [&](const char* key) {
            return e.contains(key) && e[key].is_string() ? e[key].get<std::string>() : std::string{};
        };
        return {text("code"), text("field"), text("message")};
    }
    return {"HTTP_" + std::to_string(result.status), "", "Unexpected answer from the server."};
}

}  // namespace cp::portal
