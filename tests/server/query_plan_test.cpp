// Every list route, with each filter it offers and with a cursor, runs only indexed
// statements: SQLite's EXPLAIN QUERY PLAN of every statement the request ran shows no full
// scan of a table and no temporary B-tree for ORDER BY. The tables hold 20,000 rows each
// (copies of real rows), and the route list comes from the OpenAPI document, so a new list
// route is checked without anyone adding it here.
#include <map>
#include <set>

#include "shared/validation/invoice_list_query.hpp"
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

class QueryPlans : public ServerTest {
protected:
    // Adds `copies` rows to `table` copied from its rows, with unique columns made unique.
    void multiply(const std::string& table, int copies) {
        storage::Transaction tx(db());
        std::vector<std::string> columns;
        for (const auto& r : tx.query("SELECT name FROM pragma_table_info('" + table + "')")) {
            columns.push_back(r.str("name"));
        }
        // Every key-like text column gets a suffix, so each copy is unique where its original
        // was (and points at copies, not at real rows, which keeps foreign keys off the plan).
        static const std::set<std::string> unique_text = {"id",    "name",  "number", "email", "token_hash",
                                                          "slug",  "key",   "scope",  "processor_key"};
        const auto is_key = [](const std::string& c) {
            return unique_text.count(c) ||
                   (c != "firm_id" && c.size() > 3 && c.compare(c.size() - 3, 3, "_id") == 0);
        };
        std::string list, select;
        for (const auto& c : columns) {
            if (!list.empty()) list += ", ", select += ", ";
            list += c;
            if (is_key(c)) {
                select += "CASE WHEN t." + c + " IS NULL THEN NULL ELSE t." + c + " || '-' || n.i END";
            } else if (c == "seq") {
                select += "t.seq + n.i * 1000";
            } else {
                select += "t." + c;
            }
        }
        tx.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
                "INSERT INTO " + table + " (" + list + ") SELECT " + select + " FROM " + table + " t, n",
                {std::int64_t{copies}});
        tx.commit();
    }

    // A value each known filter accepts (ids of real rows where a filter names a row).
    std::string filter_value(const std::string& path, const std::string& name) {
        if (name == "client_id") return client;
        if (name == "engagement_id") return engagement;
        if (name == "invoice_id") return invoice;
        if (name == "status") {
            // A real value of each list's own set (other values are 400s).
            static const std::pair<const char*, const char*> by_list[] = {
                {"entries", "approved"},     {"expenses", "approved"}, {"clients", "active"},
                {"engagements", "current"},  {"leads", "new"},         {"proposals", "draft"},
                {"disputes", "needs_response"}, {"payments", "succeeded"}, {"webhook-events", "applied"},
                {"messages", "sent"}};
            for (const auto& [list, value] : by_list) {
                if (path.find(list) != std::string::npos) return value;
            }
            return "sent";
        }
        if (name == "stage") return "discovery";
        if (name == "method") return "card";
        if (name == "source") return "manual";
        if (name == "kind") return path.find("messages") != std::string::npos ? "invoice_issued" : "autopay_exhausted";
        if (name == "q") return "cli";
        if (name == "since") return "1780000000";
        if (name == "until") return "1900000000";
        if (name == "category") return "BILLING";
        if (name == "severity") return "INFO";
        if (name == "outcome") return "success";
        if (name == "target_type") return "client";
        if (name == "issued_from" || name == "due_from") return "2020-01-01";
        if (name == "issued_to" || name == "due_to") return "2099-12-31";
        if (name == "sort") return "-issue_date";
        if (name == "document_type") return "credit_note";
        return "x";
    }

    Firm firm;
    std::string client, engagement, invoice, portal, op;
};

TEST_F(QueryPlans, EveryListRouteAndFilterUsesIndexesOnly) {
    if (backend_name() != "sqlite") GTEST_SKIP() << "plans are checked on SQLite";
    firm = make_firm("acme");
    make_firm("other");
    client = make_client(firm, "Client");
    engagement = make_engagement(firm, client);
    invoice = make_invoice(firm, client, "sent");
    portal = make_portal_user(firm, client, "portal@client.test");
    op = make_operator("op@platform.test");
    ASSERT_EQ(call("POST", "/api/v1/operator/break-glass", op, {{"firm_id", firm.id}, {"reason", "plans"}}).status, 201);
    {
        // A dispute and a webhook event, so their tables are multiplied like the others.
        storage::Transaction tx(db());
        tx.exec("INSERT INTO disputes (id, firm_id, invoice_id, processor_id, status, amount, currency, reason, "
                "last_event_created, created_at, updated_at) VALUES ('dsp_plan', ?, ?, 'dp_plan', 'needs_response', "
                "100, 'USD', 'fraudulent', 0, 0, 0)",
                {firm.id, invoice});
        tx.exec("INSERT INTO webhook_events (id, provider, type, created, status, payload, received_at) VALUES "
                "('evt_plan', 'stripe', 'charge.refunded', 0, 'unmatched', '{}', 0)");
        tx.commit();
    }
    db().exec_script("PRAGMA foreign_keys=OFF");  // copies reference copies that do not exist
    {
        storage::Transaction tx(db());
        std::vector<std::string> tables;
        for (const auto& r : tx.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                      "'sqlite_%' AND name NOT IN ('schema_migrations', 'audit_chain_heads', "
                                      "'number_sequences', 'firms', 'users', 'platform_operators')")) {
            tables.push_back(r.str("name"));
        }
        tx.commit();
        for (const auto& t : tables) {
            storage::Transaction count(db());
            const auto n = count.query_one("SELECT COUNT(*) AS n FROM " + t)->i64("n");
            count.commit();
            if (n > 0) multiply(t, static_cast<int>(20000 / n) + 1);
        }
    }
    db().exec_script("PRAGMA foreign_keys=ON");

    auto spec = call("GET", "/api/v1/openapi.json").body;
    ASSERT_TRUE(spec.contains("paths"));
    struct Seen {
        std::string sql;
        storage::Params params;
    };
    std::vector<Seen> seen;
    db().observe_statements([&](std::string_view sql, const storage::Params& params) {
        seen.push_back({std::string(sql), params});
    });
    int checked_requests = 0;
    std::map<std::string, std::string> problems;  // statement -> the first request that ran it, and its plan
    for (const auto& [path, item] : spec["paths"].items()) {
        if (!item.contains("get")) continue;
        std::set<std::string> filters;
        bool is_list = false;
        for (const auto& p : item["get"].value("parameters", json::array())) {
            if (p["in"] != "query") continue;
            if (p["name"] == "limit") is_list = true;
            if (p["name"] != "limit" && p["name"] != "cursor") filters.insert(p["name"].get<std::string>());
        }
        if (!is_list) continue;
        std::string target = path;
        if (auto at = target.find("{id}"); at != std::string::npos) target.replace(at, 4, client);
        const std::string token =
            target.rfind("/api/v1/portal/", 0) == 0 ? portal : target.rfind("/api/v1/operator/", 0) == 0 ? op
                                                                                                        : firm.owner_token;
        std::vector<std::string> queries = {"?limit=5"};
        for (const auto& f : filters) queries.push_back("?limit=5&" + f + "=" + filter_value(path, f));
        if (filters.count("sort")) {
            // Every order both ways, and the drafts' run without a value (reached by filtering
            // to drafts, which have no number or dates), combined with a filter and a date.
            for (const auto& k : validation::kInvoiceSortKeys) {
                for (const std::string sign : {"", "-"}) queries.push_back("?limit=5&sort=" + sign + k.name);
            }
            queries.push_back("?limit=5&sort=number&status=draft");
            queries.push_back("?limit=5&sort=-due_date&status=sent&issued_from=2020-01-01");
        }
        for (const auto& q : queries) {
            seen.clear();
            auto r = call("GET", target + q, token);
            EXPECT_EQ(r.status, 200) << target + q << ": " << r.raw.body.substr(0, 300);
            // The second page too: keyset pagination must stay on the index.
            if (r.body.is_object() && r.body.contains("next_cursor") && r.body["next_cursor"].is_string()) {
                call("GET", target + q + "&cursor=" + r.body["next_cursor"].get<std::string>(), token);
            }
            ++checked_requests;
            auto statements = seen;
            for (const auto& s : statements) {
                if (s.sql.find("SELECT") == std::string::npos) continue;  // writes (audit, sessions) go by key
                storage::Transaction tx(db());
                std::string plan;
                for (const auto& row : tx.query("EXPLAIN QUERY PLAN " + s.sql, s.params)) plan += row.str("detail") + "; ";
                tx.commit();
                const bool temp_sort = plan.find("USE TEMP B-TREE FOR ORDER BY") != std::string::npos;
                bool full_scan = false;
                for (std::size_t at = plan.find("SCAN "); at != std::string::npos; at = plan.find("SCAN ", at + 1)) {
                    const auto end = plan.find("; ", at);
                    const auto step = plan.substr(at, end - at);
                    // "SCAN n" is the CTE of a recursive query, "SCAN CONSTANT ROW" no table.
                    if (step.find("USING") == std::string::npos && step != "SCAN CONSTANT ROW") full_scan = true;
                }
                if ((temp_sort || full_scan) && !problems.count(s.sql)) {
                    problems[s.sql] = target + q + "\n    " + s.sql + "\n    plan: " + plan;
                }
            }
        }
    }
    db().observe_statements(nullptr);
    EXPECT_GT(checked_requests, 15);
    for (const auto& [sql, problem] : problems) ADD_FAILURE() << problem;
}

}  // namespace
}  // namespace cp::test
