// Reports for owners, admins and billing (Billing V): AR aging, revenue by month and the
// engagement mix, and the CRM pipeline (issue 14), as JSON or, with `Accept: text/csv`, as CSV. Buckets, periods and work
// kinds are the core's (shared/reports/report_rules.hpp); amounts are summed in minor
// units and formatted by the core.
#include <fmt/format.h>

#include <map>

#include "server/api/handlers.hpp"
#include "server/api/invoice_records.hpp"
#include "server/api/serializers.hpp"
#include "shared/crm/pipeline_report.hpp"
#include "shared/reports/report_rules.hpp"

namespace cp::api {

namespace {

using reports::AgingBucket;

bool wants_csv(const Ctx& ctx) {
    auto accept = ctx.req.header("accept");
    return accept && accept->find("text/csv") != std::string::npos;
}

// One CSV cell: quoted when needed; text that a spreadsheet would run as a formula is
// prefixed with a quote.
std::string cell(const std::string& s, bool text = true) {
    std::string v = s;
    if (text && !v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t'))
        v = "'" + v;
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

Response csv_response(const std::string& name, const std::string& body) {
    Response r;
    r.status = 200;
    r.content_type = "text/csv; charset=utf-8";
    r.body = body;
    add_header(r, "Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
    return r;
}

std::optional<time::Date> date_param(const Ctx& ctx, const char* name, Response& err) {
    auto it = ctx.req.query.find(name);
    if (it == ctx.req.query.end()) return std::nullopt;
    auto d = time::parse_iso_date(it->second);
    if (!d) {
        err = error_response(400, "INVALID_FILTER", std::string(name) + " must be a date (YYYY-MM-DD)", name);
        return std::nullopt;
    }
    return *d;
}

json aging_json(const reports::AgingRow& row, const std::string& cur) {
    json out = json::object();
    for (std::size_t b = 0; b < reports::kAgingBuckets; ++b)
        out[std::string(reports::bucket_name(static_cast<AgingBucket>(b)))] = money_text(row.buckets[b], cur);
    out["total"] = money_text(row.total, cur);
    return out;
}

struct Sums {
    std::int64_t issued = 0, credited = 0, collected = 0, refunded = 0, charged_back = 0;
};

json sums_json(const Sums& s, const std::string& cur) {
    return {{"issued", money_text(s.issued, cur)},
            {"credited", money_text(s.credited, cur)},
            {"collected", money_text(s.collected, cur)},
            {"refunded", money_text(s.refunded, cur)},
            {"charged_back", money_text(s.charged_back, cur)}};
}

}  // namespace

Response report_ar_aging(Ctx& ctx) {
    Response err;
    auto as_of = date_param(ctx, "as_of", err);
    if (!err.body.empty()) return err;
    const auto firm = firm_billing(ctx);
    const time::Date day = as_of ? *as_of : firm_today(ctx, firm);
    const std::string day_text = time::format_iso_date(day);
    struct Client {
        std::string name;
        reports::AgingRow row;
    };
    std::map<std::string, std::map<std::string, Client>> by_currency;  // currency -> client id
    std::map<std::string, reports::AgingRow> totals;
    for (const auto& r : ctx.tx().query(
             "SELECT i.client_id, i.currency, i.due_date, i.balance_due, c.name AS client_name FROM invoices i "
             "JOIN clients c ON c.id = i.client_id WHERE i.firm_id = ? AND i.document_type = 'invoice' AND "
             "i.status NOT IN ('draft', 'void') AND i.balance_due > 0 AND i.issue_date <= ?",
             {ctx.principal.firm_id, day_text})) {
        std::optional<time::Date> due;
        if (!r.is_null("due_date")) due = *time::parse_iso_date(r.str("due_date"));
        const auto bucket = reports::aging_bucket(due, day);
        auto& c = by_currency[r.str("currency")][r.str("client_id")];
        c.name = r.str("client_name");
        if (!c.row.add(bucket, r.i64("balance_due")) || !totals[r.str("currency")].add(bucket, r.i64("balance_due")))
            return error_response(422, "AMOUNT_OVERFLOW", "The report's total is beyond the money limit.");
    }
    if (wants_csv(ctx)) {
        std::string out = "currency,client_id,client_name,current,1_30,31_60,61_90,over_90,total\r\n";
        auto line = [&](const std::string& cur, const std::string& id, const std::string& name,
                        const reports::AgingRow& row) {
            out += cur + "," + cell(id) + "," + cell(name);
            for (auto v : row.buckets) out += "," + money_text(v, cur);
            out += "," + money_text(row.total, cur) + "\r\n";
        };
        for (const auto& [cur, clients] : by_currency) {
            for (const auto& [id, c] : clients) line(cur, id, c.name, c.row);
            line(cur, "", "TOTAL", totals[cur]);
        }
        return csv_response("ar-aging-" + day_text, out);
    }
    json currencies = json::array();
    for (const auto& [cur, clients] : by_currency) {
        json rows = json::array();
        for (const auto& [id, c] : clients) {
            json row = aging_json(c.row, cur);
            row["client_id"] = id;
            row["client_name"] = c.name;
            rows.push_back(row);
        }
        currencies.push_back({{"currency", cur}, {"total", aging_json(totals[cur], cur)}, {"clients", rows}});
    }
    return json_response(200, {{"object", "report"},
                               {"report", "ar_aging"},
                               {"as_of", day_text},
                               {"buckets", {"current", "1_30", "31_60", "61_90", "over_90"}},
                               {"currencies", currencies}});
}

Response report_revenue(Ctx& ctx) {
    Response err;
    auto from = date_param(ctx, "from", err);
    if (!err.body.empty()) return err;
    auto to = date_param(ctx, "to", err);
    if (!err.body.empty()) return err;
    if (!from || !to) return error_response(400, "INVALID_FILTER", "from and to are required (YYYY-MM-DD)", from ? "to" : "from");
    auto interval = ctx.req.query.count("interval") ? ctx.req.query.at("interval") : std::string("month");
    auto periods = reports::report_periods(*from, *to, interval);
    if (!periods) return error_response(400, "INVALID_FILTER", periods.error().message, periods.error().field);
    const auto firm = firm_billing(ctx);
    auto& zones = ctx.app.zones();
    std::map<std::string, std::vector<Sums>> by_currency;
    auto slot = [&](const std::string& cur, const time::Date& d) -> Sums* {
        auto at = reports::period_of(*periods, d);
        if (!at) return nullptr;
        auto& v = by_currency[cur];
        v.resize(periods->size());
        return &v[*at];
    };
    const std::string from_text = time::format_iso_date(*from), to_text = time::format_iso_date(*to);
    for (const auto& r : ctx.tx().query(
             "SELECT currency, issue_date, total, document_type FROM invoices WHERE firm_id = ? AND status NOT IN "
             "('draft', 'void') AND issue_date >= ? AND issue_date <= ?",
             {ctx.principal.firm_id, from_text, to_text})) {
        if (auto* s = slot(r.str("currency"), *time::parse_iso_date(r.str("issue_date"))))
            (r.str("document_type") == "credit_note" ? s->credited : s->issued) += r.i64("total");
    }
    // Instants are placed on the firm's local calendar; a day's margin on each side covers
    // every zone's offset.
    const std::int64_t lo = time::days_from_civil(*from) * 86400 - 86400;
    const std::int64_t hi = (time::days_from_civil(*to) + 2) * 86400;
    auto local = [&](std::int64_t instant) { return zones.local_date(firm.time_zone, instant); };
    for (const auto& r : ctx.tx().query(
             "SELECT currency, amount, settled_at FROM payments WHERE firm_id = ? AND status IN ('succeeded', "
             "'refunded') AND method <> 'credit' AND settled_at >= ? AND settled_at < ?",
             {ctx.principal.firm_id, lo, hi})) {
        if (auto* s = slot(r.str("currency"), local(r.i64("settled_at")))) s->collected += r.i64("amount");
    }
    for (const auto& r : ctx.tx().query(
             "SELECT r.currency, r.amount, r.created_at FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE "
             "r.firm_id = ? AND r.status = 'succeeded' AND p.method <> 'credit' AND r.created_at >= ? AND "
             "r.created_at < ?",
             {ctx.principal.firm_id, lo, hi})) {
        if (auto* s = slot(r.str("currency"), local(r.i64("created_at")))) s->refunded += r.i64("amount");
    }
    for (const auto& r : ctx.tx().query(
             "SELECT currency, amount, updated_at FROM disputes WHERE firm_id = ? AND status = 'lost' AND "
             "updated_at >= ? AND updated_at < ?",
             {ctx.principal.firm_id, lo, hi})) {
        if (auto* s = slot(r.str("currency"), local(r.i64("updated_at")))) s->charged_back += r.i64("amount");
    }
    if (wants_csv(ctx)) {
        std::string out = "currency,period,start,end,issued,credited,collected,refunded,charged_back\r\n";
        for (const auto& [cur, sums] : by_currency) {
            for (std::size_t i = 0; i < sums.size(); ++i) {
                const auto& p = (*periods)[i];
                const auto& s = sums[i];
                out += fmt::format("{},{},{},{},{},{},{},{},{}\r\n", cur, p.key, time::format_iso_date(p.start),
                                   time::format_iso_date(p.end), money_text(s.issued, cur), money_text(s.credited, cur),
                                   money_text(s.collected, cur), money_text(s.refunded, cur),
                                   money_text(s.charged_back, cur));
            }
        }
        return csv_response("revenue-" + from_text + "-" + to_text, out);
    }
    json currencies = json::array();
    for (const auto& [cur, sums] : by_currency) {
        json rows = json::array();
        Sums total;
        for (std::size_t i = 0; i < sums.size(); ++i) {
            const auto& p = (*periods)[i];
            json row = sums_json(sums[i], cur);
            row["period"] = p.key;
            row["start"] = time::format_iso_date(p.start);
            row["end"] = time::format_iso_date(p.end);
            rows.push_back(row);
            total.issued += sums[i].issued;
            total.credited += sums[i].credited;
            total.collected += sums[i].collected;
            total.refunded += sums[i].refunded;
            total.charged_back += sums[i].charged_back;
        }
        currencies.push_back({{"currency", cur}, {"periods", rows}, {"total", sums_json(total, cur)}});
    }
    return json_response(200, {{"object", "report"},
                               {"report", "revenue"},
                               {"from", from_text},
                               {"to", to_text},
                               {"interval", interval},
                               {"time_zone", firm.time_zone},
                               {"currencies", currencies}});
}

Response report_engagement_mix(Ctx& ctx) {
    Response err;
    auto from = date_param(ctx, "from", err);
    if (!err.body.empty()) return err;
    auto to = date_param(ctx, "to", err);
    if (!err.body.empty()) return err;
    std::string sql =
        "SELECT l.kind, l.amount, i.currency, i.engagement_id, e.name AS engagement_name, e.pricing_mode, "
        "c.id AS client_id, c.name AS client_name FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id "
        "JOIN clients c ON c.id = i.client_id LEFT JOIN engagements e ON e.id = i.engagement_id WHERE "
        "i.firm_id = ? AND i.document_type = 'invoice' AND i.status NOT IN ('draft', 'void')";
    storage::Params params{ctx.principal.firm_id};
    if (from) {
        sql += " AND i.issue_date >= ?";
        params.push_back(time::format_iso_date(*from));
    }
    if (to) {
        sql += " AND i.issue_date <= ?";
        params.push_back(time::format_iso_date(*to));
    }
    struct Row {
        std::string engagement_name, pricing_mode, client_id, client_name;
        std::array<std::int64_t, 4> by_kind{};
        std::int64_t total = 0;
    };
    std::map<std::pair<std::string, std::string>, Row> rows;  // (currency, engagement id or "")
    std::map<std::string, Row> totals;
    for (const auto& r : ctx.tx().query(sql, params)) {
        auto kind = billing::line_kind_from_string(r.str("kind"));
        const auto k = static_cast<std::size_t>(reports::work_kind(kind ? *kind : billing::LineKind::adjustment));
        auto& row = rows[{r.str("currency"), r.str("engagement_id")}];
        row.engagement_name = r.str("engagement_name");
        row.pricing_mode = r.str("pricing_mode");
        row.client_id = r.str("client_id");
        row.client_name = r.str("client_name");
        row.by_kind[k] += r.i64("amount");
        row.total += r.i64("amount");
        totals[r.str("currency")].by_kind[k] += r.i64("amount");
        totals[r.str("currency")].total += r.i64("amount");
    }
    auto amounts = [](const Row& row, const std::string& cur) {
        json out = json::object();
        for (std::size_t k = 0; k < 4; ++k)
            out[std::string(reports::to_string(static_cast<reports::WorkKind>(k)))] = money_text(row.by_kind[k], cur);
        out["total"] = money_text(row.total, cur);
        return out;
    };
    if (wants_csv(ctx)) {
        std::string out =
            "currency,engagement_id,engagement_name,pricing_mode,client_id,client_name,package,hourly,expense,other,"
            "total\r\n";
        for (const auto& [key, row] : rows) {
            const auto& cur = key.first;
            out += cur + "," + cell(key.second) + "," + cell(row.engagement_name) + "," + cell(row.pricing_mode) +
                   "," + cell(row.client_id) + "," + cell(row.client_name);
            for (auto v : row.by_kind) out += "," + money_text(v, cur);
            out += "," + money_text(row.total, cur) + "\r\n";
        }
        return csv_response("engagement-mix", out);
    }
    json items = json::array();
    for (const auto& [key, row] : rows) {
        json item = amounts(row, key.first);
        item["currency"] = key.first;
        item["engagement_id"] = key.second.empty() ? json(nullptr) : json(key.second);
        item["engagement_name"] = row.engagement_name.empty() ? json(nullptr) : json(row.engagement_name);
        item["pricing_mode"] = row.pricing_mode.empty() ? json(nullptr) : json(row.pricing_mode);
        item["client_id"] = row.client_id;
        item["client_name"] = row.client_name;
        items.push_back(item);
    }
    json by_currency = json::object();
    for (const auto& [cur, row] : totals) by_currency[cur] = amounts(row, cur);
    return json_response(200, {{"object", "report"},
                               {"report", "engagement_mix"},
                               {"from", from ? json(time::format_iso_date(*from)) : json(nullptr)},
                               {"to", to ? json(time::format_iso_date(*to)) : json(nullptr)},
                               {"rows", items},
                               {"totals", by_currency}});
}

// The CRM pipeline now: leads by status, prospects by stage, proposals by status (a lapsed
// sent one counts as expired), with their value per currency; win rate and average days
// to close. The arithmetic is the core's (shared/crm/pipeline_report.hpp); dates are the
// firm's local calendar.
Response report_pipeline(Ctx& ctx) {
    const auto firm = firm_billing(ctx);
    auto& zones = ctx.app.zones();
    cp::crm::PipelineReport report(firm_today(ctx, firm));
    auto value_of = [](const storage::Row& r, const char* column) {
        return r.is_null(column) ? std::optional<std::int64_t>() : std::optional<std::int64_t>(r.i64(column));
    };
    auto overflow = [] { return error_response(422, "AMOUNT_OVERFLOW", "The report's total is beyond the money limit."); };
    for (const auto& r : ctx.tx().query("SELECT status, currency, estimated_value FROM leads WHERE firm_id = ?",
                                        {ctx.principal.firm_id})) {
        auto status = state::parse_lead_status(r.str("status"));
        if (status && !report.add_lead(*status, r.str("currency"), value_of(r, "estimated_value"))) return overflow();
    }
    for (const auto& r : ctx.tx().query("SELECT stage, currency, estimated_value FROM prospects WHERE firm_id = ?",
                                        {ctx.principal.firm_id})) {
        auto stage = state::parse_prospect_stage(r.str("stage"));
        if (stage && !report.add_prospect(*stage, r.str("currency"), value_of(r, "estimated_value"))) return overflow();
    }
    for (const auto& r : ctx.tx().query(
             "SELECT status, expires_on, currency, total, created_at, decided_at FROM proposals WHERE firm_id = ?",
             {ctx.principal.firm_id})) {
        auto status = state::parse_proposal_status(r.str("status"));
        auto expires_on = time::parse_iso_date(r.str("expires_on"));
        if (!status || !expires_on) continue;
        std::optional<time::Date> decided_on;
        if (!r.is_null("decided_at")) decided_on = zones.local_date(firm.time_zone, r.i64("decided_at"));
        if (!report.add_proposal(*status, *expires_on, r.str("currency"), r.i64("total"),
                                 zones.local_date(firm.time_zone, r.i64("created_at")), decided_on))
            return overflow();
    }
    struct Section {
        const char* name;
        std::vector<std::pair<std::string, const cp::crm::StageTally*>> stages;
    };
    std::vector<Section> sections{{"leads", {}}, {"prospects", {}}, {"proposals", {}}};
    for (std::size_t i = 0; i < report.leads().size(); ++i)
        sections[0].stages.emplace_back(state::to_string(static_cast<state::LeadStatus>(i)), &report.leads()[i]);
    for (std::size_t i = 0; i < report.prospects().size(); ++i)
        sections[1].stages.emplace_back(state::to_string(static_cast<state::ProspectStage>(i)), &report.prospects()[i]);
    for (std::size_t i = 0; i < report.proposals().size(); ++i)
        sections[2].stages.emplace_back(state::to_string(static_cast<state::ProposalStatus>(i)),
                                        &report.proposals()[i]);
    const auto& proposals = report.proposals();
    const auto count_of = [&](state::ProposalStatus s) { return proposals[static_cast<std::size_t>(s)].count; };
    const std::string as_of = time::format_iso_date(report.as_of());
    const auto win_rate = report.win_rate_percent();
    const auto average = report.average_days_to_close();
    if (wants_csv(ctx)) {
        std::string out = "section,stage,count,currency,value\r\n";
        for (const auto& sec : sections) {
            for (const auto& [stage, t] : sec.stages) {
                if (t->value.empty()) out += fmt::format("{},{},{},,\r\n", sec.name, stage, t->count);
                for (const auto& [cur, v] : t->value)
                    out += fmt::format("{},{},{},{},{}\r\n", sec.name, stage, t->count, cur, money_text(v, cur));
            }
        }
        out += fmt::format("summary,win_rate_percent,{},,{}\r\n", report.decided(), win_rate.value_or(""));
        out += fmt::format("summary,average_days_to_close,{},,{}\r\n", report.accepted(), average.value_or(""));
        return csv_response("pipeline-" + as_of, out);
    }
    json body{{"object", "report"}, {"report", "pipeline"}, {"as_of", as_of}, {"time_zone", firm.time_zone}};
    for (const auto& sec : sections) {
        json rows = json::array();
        for (const auto& [stage, t] : sec.stages) {
            json value = json::object();
            for (const auto& [cur, v] : t->value) value[cur] = money_text(v, cur);
            rows.push_back({{"stage", stage}, {"count", t->count}, {"value", value}});
        }
        body[sec.name] = rows;
    }
    body["win_rate"] = {{"accepted", report.accepted()},
                        {"declined", count_of(state::ProposalStatus::declined)},
                        {"expired", count_of(state::ProposalStatus::expired)},
                        {"percent", win_rate ? json(*win_rate) : json(nullptr)}};
    body["days_to_close"] = {{"accepted", report.accepted()},
                             {"total_days", report.days_to_close_total()},
                             {"average", average ? json(*average) : json(nullptr)}};
    return json_response(200, body);
}

}  // namespace cp::api
