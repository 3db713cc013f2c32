#pragma once
// Method + path-pattern matching ("/api/v1/clients/{id}"). Knows nothing about handlers:
// the route table (app/routes.cpp) pairs each pattern with its handler and access rules.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cp::http {

class Router {
public:
    // Returns the index of the added route.
    std::size_t add(std::string method, std::string pattern);

    struct Match {
        std::size_t index = 0;
        std::map<std::string, std::string> params;
    };
    enum class Miss { not_found, method_not_allowed };

    // nullopt + `miss` set when nothing matches.
    std::optional<Match> match(std::string_view method, std::string_view path, Miss* miss = nullptr) const;

    // Parameter names of a pattern, in order ("{firm_id}" -> "firm_id").
    static std::vector<std::string> params_of(std::string_view pattern);

private:
    struct Entry {
        std::string method;
        std::vector<std::string> segments;  // "{name}" segments are parameters
    };
    std::vector<Entry> entries_;
};

}  // namespace cp::http
