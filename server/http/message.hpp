#pragma once
// Transport-neutral request and response. Handlers are plain functions from one to the
// other, so tests can call them without sockets as well as over loopback.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cp::http {

struct Request {
    std::string method;   // "GET", "POST", ...
    std::string target;   // raw target, "/api/v1/invoices?limit=10"
    std::string path;     // percent-decoded path without the query
    std::map<std::string, std::string> query;    // decoded query parameters
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
    std::string remote_address;  // peer IP, for throttling and audit
    std::map<std::string, std::string> path_params;  // filled by the router
    // When the transport finished reading it (the request deadline counts from here, so
    // time spent waiting for a worker counts too); unset in tests that call the app directly.
    std::chrono::steady_clock::time_point received{};

    std::optional<std::string> header(const std::string& lower_name) const {
        auto it = headers.find(lower_name);
        if (it == headers.end()) return std::nullopt;
        return it->second;
    }
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    void set_header(std::string name, std::string value) {
        headers.emplace_back(std::move(name), std::move(value));
    }
};

}  // namespace cp::http
