// The OpenAPI 3 document is generated from the route table, so it cannot drift from
// the routes; tests/server checks every route appears with its parameters.
#include "server/api/handlers.hpp"
#include "server/http/router.hpp"

namespace cp::api {

json build_openapi() {
    using server::Access;
    json paths = json::object();
    for (const auto& r : server::route_table()) {
        json params = json::array();
        for (const auto& name : http::Router::params_of(r.pattern)) {
            params.push_back(
                {{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
        }
        std::string method = r.method;
        for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        json op{{"summary", r.summary},
                {"operationId", method + std::string(r.pattern)},
                {"tags", json::array({r.resource})},
                {"parameters", params},
                {"responses",
                 {{"200", {{"description", "Success"}}},
                  {"default",
                   {{
                        "description",
                        "Error",
                    },
                    {"content",
                     {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}}}};
        if (r.access == Access::public_) {
            op["security"] = json::array();
        } else {
            json x{{"access", r.access == Access::firm        ? "firm"
                              : r.access == Access::portal    ? "portal"
                              : r.access == Access::operator_ ? "operator"
                                                              : "authenticated"}};
            if (r.capability) x["capability"] = std::string(server::to_string(*r.capability));
            op["x-cp-access"] = x;
        }
        if (method == "post" || method == "patch") {
            op["requestBody"] = {{"required", true},
                                 {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
        }
        paths[r.pattern][method] = op;
    }
    json error_obj{{"type", "object"},
                   {"properties",
                    {{"code", {{"type", "string"}}},
                     {"field", {{"type", "string"}}},
                     {"message", {{"type", "string"}}}}}};
    return {{"openapi", "3.0.3"},
            {"info", {{"title", "ConsultantPro API"}, {"version", "1"}}},
            {"paths", paths},
            {"components",
             {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
              {"schemas",
               {{"Error",
                 {{"type", "object"},
                  {"properties",
                   {{"error", error_obj}, {"errors", {{"type", "array"}, {"items", error_obj}}}}}}}}}}},
            {"security", json::array({{{"bearer", json::array()}}})}};
}

Response openapi_document(Ctx&) {
    static const std::string doc = build_openapi().dump();
    Response r;
    r.body = doc;
    return r;
}

}  // namespace cp::api
