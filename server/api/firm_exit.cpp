// Firm exit (Tier 5): exports (owner/admin; made in the background, downloaded with Range
// support for 7 days) and offboarding (owner only: read-only at once, then retention, grace
// and purge — server/exit/firm_exit.hpp). Operators see the schedule, not the data.
#include <filesystem>
#include <fstream>
#include <regex>

#include "server/api/handlers.hpp"
#include "server/exit/firm_exit.hpp"
#include "shared/validation/json_reader.hpp"

namespace cp::api {

namespace {

json export_json(const storage::Row& e) {
    auto t = [&](const char* c) { return e.is_null(c) ? json(nullptr) : json(iso(e.i64(c))); };
    return {{"object", "firm_export"},
            {"id", e.str("id")},
            {"status", e.str("status")},
            {"rows_done", e.i64("rows_done")},
            {"rows_total", e.i64("rows_total")},
            {"bytes", e.is_null("bytes") ? json(nullptr) : json(e.i64("bytes"))},
            {"sha256", e.is_null("sha256") ? json(nullptr) : json(e.str("sha256"))},
            {"manifest_sha256", e.is_null("manifest_sha256") ? json(nullptr) : json(e.str("manifest_sha256"))},
            {"error", e.is_null("error") ? json(nullptr) : json(e.str("error"))},
            {"created_at", t("created_at")},
            {"finished_at", t("finished_at")},
            {"expires_at", t("expires_at")},
            {"download_url", e.str("status") == "done" ? json("/api/v1/firm/exports/" + e.str("id") + "/download")
                                                      : json(nullptr)}};
}

// Where a scheduled offboarding stands at `now`: "retention", then "grace" (the owner may still
// cancel), then "purge_due" until a runner starts the purge; otherwise its status.
std::string offboarding_phase(const storage::Row& o, std::int64_t now) {
    if (o.str("status") != "scheduled") return o.str("status");
    if (now < o.i64("retention_until")) return "retention";
    return now < o.i64("purge_after") ? "grace" : "purge_due";
}

json offboarding_json(const storage::Row& o, std::int64_t now) {
    auto t = [&](const char* c) { return o.is_null(c) ? json(nullptr) : json(iso(o.i64(c))); };
    return {{"object", "firm_offboarding"},
            {"firm_id", o.str("firm_id")},
            {"status", o.str("status")},
            {"phase", offboarding_phase(o, now)},
            {"reason", o.str("reason")},
            {"requested_at", t("requested_at")},
            {"export_id", o.is_null("export_id") ? json(nullptr) : json(o.str("export_id"))},
            {"retention_until", t("retention_until")},
            {"purge_after", t("purge_after")},
            {"cancelled_at", t("cancelled_at")},
            {"purge_started_at", t("purge_started_at")}};
}

std::string export_dir(const Ctx& ctx) { return ctx.app.config().export_dir; }

}  // namespace

Response create_firm_export(Ctx& ctx) {
    const std::string id =
        server::exit::request_export(ctx.tx(), ctx.principal.firm_id, ctx.principal.membership_id, ctx.now);
    auto e = audit_event(ctx, "DATA_ACCESS", "firm.export.request", "WARNING");
    e.target_type = "firm_export";
    e.target_id = id;
    record(ctx, e);
    return json_response(202, export_json(*ctx.tx().query_one("SELECT * FROM firm_exports WHERE id = ?", {id})));
}

Response list_firm_exports(Ctx& ctx) {
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    json items = json::array();
    for (const auto& r : ctx.tx().query("SELECT * FROM firm_exports WHERE firm_id = ? AND id > ? ORDER BY id LIMIT ?",
                                        {ctx.principal.firm_id, page->cursor, page->limit + 1}))
        items.push_back(export_json(r));
    return json_response(200, list_body(items, *page));
}

Response get_firm_export(Ctx& ctx) {
    auto e = ctx.tx().query_one("SELECT * FROM firm_exports WHERE id = ? AND firm_id = ?",
                                {ctx.param("id"), ctx.principal.firm_id});
    if (!e) return not_found();
    return json_response(200, export_json(*e));
}

Response download_firm_export(Ctx& ctx) {
    auto e = ctx.tx().query_one("SELECT * FROM firm_exports WHERE id = ? AND firm_id = ?",
                                {ctx.param("id"), ctx.principal.firm_id});
    if (!e) return not_found();
    if (e->str("status") != "done")
        return error_response(409, "EXPORT_NOT_READY", "The export is " + e->str("status") + ".", "status");
    if (e->i64("expires_at") <= ctx.now)
        return error_response(410, "EXPORT_EXPIRED", "This export's download expired; request a new export.");
    const std::string path = server::exit::export_path(export_dir(ctx), e->str("id"));
    std::ifstream in(path, std::ios::binary);
    if (!in) return error_response(410, "EXPORT_EXPIRED", "This export's file is gone; request a new export.");
    const std::int64_t size = static_cast<std::int64_t>(std::filesystem::file_size(path));
    std::int64_t first = 0, last = size - 1;
    Response r;
    r.status = 200;
    if (auto range = ctx.req.header("range")) {
        static const std::regex one(R"(bytes=(\d{0,18})-(\d{0,18}))");
        std::smatch m;
        if (!std::regex_match(*range, m, one) || (m[1].length() == 0 && m[2].length() == 0)) {
            Response bad = error_response(416, "RANGE_NOT_SATISFIABLE", "Only one byte range is supported.");
            add_header(bad, "Content-Range", "bytes */" + std::to_string(size));
            return bad;
        }
        if (m[1].length() == 0) {  // the last N bytes
            first = std::max<std::int64_t>(0, size - static_cast<std::int64_t>(std::stoll(m[2])));
        } else {
            first = std::stoll(m[1]);
            if (m[2].length() > 0) last = std::min<std::int64_t>(last, std::stoll(m[2]));
        }
        if (first > last || first >= size) {
            Response bad = error_response(416, "RANGE_NOT_SATISFIABLE", "The range is outside the file.");
            add_header(bad, "Content-Range", "bytes */" + std::to_string(size));
            return bad;
        }
        r.status = 206;
        add_header(r, "Content-Range",
                   "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" + std::to_string(size));
    }
    r.body.resize(static_cast<std::size_t>(last - first + 1));
    in.seekg(first);
    in.read(r.body.data(), static_cast<std::streamsize>(r.body.size()));
    r.content_type = "application/gzip";
    add_header(r, "Accept-Ranges", "bytes");
    add_header(r, "Content-Disposition", "attachment; filename=\"" + e->str("id") + ".tar.gz\"");
    add_header(r, "X-Content-SHA256", e->str("sha256"));
    return r;
}

Response start_offboarding(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    Errors errors;
    {
        validation::JsonReader r(*body, "", errors);
        r.reject_unknown({"reason", "confirm_slug"});
        r.string("reason", validation::Presence::required, 500);
        r.string("confirm_slug", validation::Presence::required, 100);
    }
    if (!errors.empty()) return validation_failed(errors);
    auto firm = ctx.tx().query_one("SELECT slug, status FROM firms WHERE id = ?", {ctx.principal.firm_id});
    if ((*body)["confirm_slug"] != firm->str("slug"))
        return validation_failed({{"CONFIRMATION_MISMATCH", "confirm_slug", "type the firm's slug to confirm"}});
    if (ctx.tx().query_one("SELECT firm_id FROM firm_offboarding WHERE firm_id = ? AND status <> 'cancelled'",
                           {ctx.principal.firm_id}))
        return error_response(409, "ALREADY_OFFBOARDING", "The firm is already being offboarded.");
    const std::string export_id =
        server::exit::request_export(ctx.tx(), ctx.principal.firm_id, ctx.principal.membership_id, ctx.now);
    const std::int64_t retention = ctx.now + server::exit::kRetentionSeconds;
    ctx.tx().exec("DELETE FROM firm_offboarding WHERE firm_id = ?", {ctx.principal.firm_id});  // a cancelled one
    ctx.tx().exec(
        "INSERT INTO firm_offboarding (firm_id, status, reason, requested_by, requested_at, previous_status, "
        "export_id, retention_until, purge_after) VALUES (?, 'scheduled', ?, ?, ?, ?, ?, ?, ?)",
        {ctx.principal.firm_id, (*body)["reason"].get<std::string>(), ctx.principal.membership_id, ctx.now,
         firm->str("status"), export_id, retention, retention + server::exit::kPurgeGraceSeconds});
    ctx.tx().exec("UPDATE firms SET status = 'offboarding', updated_at = ? WHERE id = ?", {ctx.now, ctx.principal.firm_id});
    auto e = audit_event(ctx, "PURGE", "firm.offboarding.start", "CRITICAL");
    e.target_type = "firm";
    e.target_id = ctx.principal.firm_id;
    e.reason = (*body)["reason"];
    e.metadata = {{"export_id", export_id}, {"retention_until", iso(retention)},
                  {"purge_after", iso(retention + server::exit::kPurgeGraceSeconds)}};
    record(ctx, e);
    return json_response(202, offboarding_json(*ctx.tx().query_one("SELECT * FROM firm_offboarding WHERE firm_id = ?",
                                                                   {ctx.principal.firm_id}), ctx.now));
}

Response get_offboarding(Ctx& ctx) {
    auto o = ctx.tx().query_one("SELECT * FROM firm_offboarding WHERE firm_id = ?", {ctx.principal.firm_id});
    if (!o) return not_found();
    return json_response(200, offboarding_json(*o, ctx.now));
}

Response cancel_offboarding(Ctx& ctx) {
    auto o = ctx.tx().query_one("SELECT * FROM firm_offboarding WHERE firm_id = ?", {ctx.principal.firm_id});
    if (!o || o->str("status") == "cancelled") return not_found();
    if (o->str("status") != "scheduled")
        return error_response(409, "PURGE_STARTED", "The purge has started; it cannot be cancelled.");
    ctx.tx().exec("UPDATE firm_offboarding SET status = 'cancelled', cancelled_at = ?, cancelled_by = ? WHERE firm_id = ?",
                  {ctx.now, ctx.principal.membership_id, ctx.principal.firm_id});
    const std::string back = o->str("previous_status") == "suspended" ? "suspended" : "active";
    ctx.tx().exec("UPDATE firms SET status = ?, updated_at = ? WHERE id = ?", {back, ctx.now, ctx.principal.firm_id});
    auto e = audit_event(ctx, "PURGE", "firm.offboarding.cancel", "CRITICAL");
    e.target_type = "firm";
    e.target_id = ctx.principal.firm_id;
    record(ctx, e);
    return json_response(200, offboarding_json(*ctx.tx().query_one("SELECT * FROM firm_offboarding WHERE firm_id = ?",
                                                                   {ctx.principal.firm_id}), ctx.now));
}

Response operator_list_offboarding(Ctx& ctx) {
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    json items = json::array();
    for (const auto& r : ctx.tx().query(
             "SELECT * FROM firm_offboarding WHERE firm_id > ? ORDER BY firm_id LIMIT ?", {page->cursor, page->limit + 1})) {
        json o = offboarding_json(r, ctx.now);
        o.erase("reason");  // the firm's words, not platform metadata
        o["id"] = r.str("firm_id");
        items.push_back(o);
    }
    return json_response(200, list_body(items, *page));
}

// A purged firm leaves its offboarding schedule with its rows; operators still see that it left, when,
// and the checksum of the export it took (never its name: only the name's hash is kept).
Response operator_list_tombstones(Ctx& ctx) {
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    json items = json::array();
    for (const auto& r : ctx.tx().query("SELECT * FROM firm_tombstones WHERE firm_id > ? ORDER BY firm_id LIMIT ?",
                                        {page->cursor, page->limit + 1})) {
        items.push_back({{"object", "firm_tombstone"},
                         {"id", r.str("firm_id")},
                         {"firm_id", r.str("firm_id")},
                         {"name_hash", r.str("name_hash")},
                         {"created_at", iso(r.i64("created_at"))},
                         {"offboarded_at", iso(r.i64("offboarded_at"))},
                         {"purged_at", iso(r.i64("purged_at"))},
                         {"export_sha256", r.is_null("export_sha256") ? json(nullptr) : json(r.str("export_sha256"))},
                         {"requested_by", r.str("requested_by")}});
    }
    return json_response(200, list_body(items, *page));
}

}  // namespace cp::api
