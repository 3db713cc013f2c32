// The OpenAPI 3 document is generated from the route table, so it cannot drift from
// the routes; tests/server checks every route appears with its parameters.
#include <map>
#include <vector>

#include "server/api/handlers.hpp"
#include "server/http/router.hpp"
#include "shared/validation/invoice_list_query.hpp"

namespace cp::api {

namespace {

// Query parameters of the paginated lists (besides limit and cursor). A test calls every GET
// route with limit=201 and checks that exactly these answer 400 INVALID_PAGINATION.
const std::map<std::string, std::vector<const char*>>& list_filters() {
    static const std::map<std::string, std::vector<const char*>> filters = {
        {"/api/v1/firms", {}},
        {"/api/v1/firm/settings/snapshots", {}},
        {"/api/v1/memberships", {}},
        {"/api/v1/clients", {"status", "q"}},
        {"/api/v1/clients/{id}/portal-users", {}},
        {"/api/v1/engagements", {"client_id", "status"}},
        {"/api/v1/leads", {"status", "owner_membership_id"}},
        {"/api/v1/prospects", {"stage"}},
        {"/api/v1/proposals", {"status", "prospect_id"}},
        {"/api/v1/invoices",
         {"status", "client_id", "document_type", "q", "issued_from", "issued_to", "due_from", "due_to", "sort"}},
        {"/api/v1/time-entries", {"engagement_id", "client_id", "author_membership_id", "invoice_id", "status"}},
        {"/api/v1/expenses", {"engagement_id", "client_id", "author_membership_id", "invoice_id", "status"}},
        {"/api/v1/audit",
         {"category", "action", "severity", "actor_id", "target_type", "target_id", "outcome", "since",
          "until"}},
        {"/api/v1/break-glass", {}},
        {"/api/v1/portal/invoices", {"status", "issued_from", "issued_to", "due_from", "due_to", "sort"}},
        {"/api/v1/portal/engagements", {}},
        {"/api/v1/operator/firms", {}},
        {"/api/v1/payments", {"invoice_id", "client_id", "status", "method", "source"}},
        {"/api/v1/payment-failures", {"invoice_id", "client_id"}},
        {"/api/v1/alerts", {"invoice_id", "kind", "owner_membership_id"}},
        {"/api/v1/clients/{id}/credits", {}},
        {"/api/v1/disputes", {"invoice_id", "status"}},
        {"/api/v1/portal/payments", {"invoice_id", "status"}},
        {"/api/v1/firm/exports", {}},
        {"/api/v1/operator/offboarding", {}},
        {"/api/v1/operator/tombstones", {}},
        {"/api/v1/operator/webhook-events", {"status", "type"}},
        {"/api/v1/messages", {"invoice_id", "client_id", "status", "kind", "invoice", "client"}},
    };
    return filters;
}

json query_param(const char* name, const char* description, json schema = {{"type", "string"}}) {
    return {{"name", name},
            {"in", "query"},
            {"required", false},
            {"description", description},
            {"schema", schema}};
}

std::string filter_description(const std::string& filter, const std::string& pattern) {
    if (filter == "q") {
        return std::string("Substring search of the ") +
               (pattern == "/api/v1/invoices" ? "invoice number" : "name") +
               ", ignoring ASCII letter case; % and _ match themselves (at most 100 characters)";
    }
    if (filter == "issued_from" || filter == "due_from") {
        return "Dated on or after this day (YYYY-MM-DD; drafts have no dates)";
    }
    if (filter == "issued_to" || filter == "due_to") return "Dated on or before this day (YYYY-MM-DD)";
    if (filter == "sort") {
        std::string keys;
        for (const auto& k : validation::kInvoiceSortKeys) keys += (keys.empty() ? "" : ", ") + std::string(k.name);
        return "Order by one of " + keys +
               " (- in front for descending); amounts within their currency; rows without the value come last. "
               "Default: creation order";
    }
    if (pattern.find("invoices") != std::string::npos && (filter == "status" || filter == "document_type")) {
        return filter == "status" ? "An invoice status (overdue as reported now, in the client's zone)"
                                  : "invoice or credit_note";
    }
    return "Exact match filter (at most 100 characters)";
}

}  // namespace

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
        if (auto list = list_filters().find(r.pattern); list != list_filters().end() && method == "get") {
            params.push_back(
                query_param("limit", "Page size, 1 to 200 (default 50)",
                            {{"type", "integer"}, {"minimum", 1}, {"maximum", 200}, {"default", 50}}));
            params.push_back(query_param("cursor", "The previous page's next_cursor"));
            for (const char* filter : list->second) params.push_back(query_param(filter, filter_description(filter, r.pattern).c_str()));
        }
        if (method == "post") {
            params.push_back(
                {{"name", "Idempotency-Key"},
                 {"in", "header"},
                 {"required", false},
                 {"description", "Replays the stored response of an earlier request with this key"},
                 {"schema", {{"type", "string"}, {"maxLength", 255}}}});
        }
        json op{{"summary", r.summary},
                {"operationId", method + std::string(r.pattern)},
                {"tags", json::array({r.resource})},
                {"parameters", params},
                {"responses",
                 {{method == "post" ? "201" : method == "delete" ? "204" : "200",
                   {{"description",
                     method == "post" ? "Created (200 for actions that create nothing)" : "Success"}}},
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
            // POST actions (review, rollback, renew, logout) also take an empty body.
            op["requestBody"] = {{"required", method == "patch"},
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
