#include "server/api/client_records.hpp"

#include "server/api/serializers.hpp"
#include "server/util/crypto.hpp"

namespace cp::api {

std::optional<storage::Row> find_client_by_name(Ctx& ctx, const std::string& name) {
    return ctx.tx().query_one("SELECT * FROM clients WHERE firm_id = ? AND name = ?",
                              {ctx.principal.firm_id, name});
}

json insert_client(Ctx& ctx, const json& body) {
    const std::string name = body["company_name"];
    auto firm = ctx.tx().query_one("SELECT time_zone FROM firms WHERE id = ?", {ctx.principal.firm_id});
    const std::string id = server::new_id("cli");
    ctx.tx().exec(
        "INSERT INTO clients (id, firm_id, name, status, billing_email, time_zone, portal_enabled, "
        "autopay_enabled, payment_method_ref, contacts, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, ctx.principal.firm_id, name, str_or(body, "status", "active"),
         body["billing_email"].get<std::string>(), str_or(body, "time_zone", firm->str("time_zone")),
         std::int64_t{body.value("portal_enabled", false)}, std::int64_t{body.value("autopay_enabled", false)},
         body.contains("payment_method_ref") && body["payment_method_ref"].is_string()
             ? storage::Param(body["payment_method_ref"].get<std::string>())
             : storage::Param(nullptr),
         body.value("contacts", json::array()).dump(), ctx.now, ctx.now});
    auto created = client_json(*ctx.tx().query_one("SELECT * FROM clients WHERE id = ? AND firm_id = ?",
                                                   {id, ctx.principal.firm_id}));
    auto e = audit_event(ctx, "CONFIG", "client.create");
    e.target_type = "client";
    e.target_id = id;
    e.target_label = name;
    e.metadata["after"] = created;
    record(ctx, e);
    return created;
}

}  // namespace cp::api
