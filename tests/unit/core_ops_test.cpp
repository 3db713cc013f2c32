// The JSON-lines contract (the pure function behind core_cli, native and Wasm).
#include "shared/protocol/core_ops.hpp"

#include <gtest/gtest.h>

#include "zoneinfo_fixture.hpp"

using cp::protocol::handle_core_line;

namespace {
cp::time::ZoneCache& zones() {
    static cp::time::ZoneCache cache(read_system_zone);
    return cache;
}
std::string run(std::string_view line) { return handle_core_line(line, zones()); }
}  // namespace

TEST(CoreOps, IssueExamples) {
    EXPECT_EQ(run(R"({"op":"invoice_totals","currency":"USD","rounding":"half_up","tax_mode":"per_line",
        "lines":[{"quantity":"1.5","unit_price":"120.00","tax_rate":"8.875"}]})"),
              R"({"subtotal":"180.00","tax":"15.98","total":"195.98"})");
    EXPECT_EQ(run(R"({"op":"billing_period","schedule":"quarterly","date":"2024-05-10",
        "engagement_start":"2024-04-15","engagement_end":"2025-04-14"})"),
              R"({"start":"2024-04-15","end":"2024-06-30"})");
    EXPECT_EQ(
        run(R"({"op":"retry_schedule","first_failure":"2024-03-09T15:00:00Z","time_zone":"America/New_York"})"),
        R"({"attempts":["2024-03-12T14:00:00Z","2024-03-16T14:00:00Z","2024-03-23T14:00:00Z"]})");
}

TEST(CoreOps, ErrorsAreOneLineObjects) {
    EXPECT_EQ(run("not json"),
              R"({"error":{"code":"INVALID_JSON","field":"","message":"the line is not valid JSON"}})");
    EXPECT_EQ(run(""),
              R"({"error":{"code":"INVALID_JSON","field":"","message":"the line is not valid JSON"}})");
    EXPECT_EQ(run(std::string(R"({"op":"retry_schedule"})") + '\0' + "junk"),
              R"({"error":{"code":"INVALID_JSON","field":"","message":"the line is not valid JSON"}})");
    EXPECT_EQ(run("[1]"),
              R"({"error":{"code":"INVALID_TYPE","field":"","message":"each line must be a JSON object"}})");
    EXPECT_NE(run(R"({"op":"frobnicate"})").find(R"("code":"UNKNOWN_OP","field":"op")"), std::string::npos);
    EXPECT_NE(run(R"({})").find(R"("code":"VALIDATION_REQUIRED","field":"op")"), std::string::npos);
    EXPECT_NE(run(R"({"op":7})").find(R"("code":"INVALID_TYPE","field":"op")"), std::string::npos);
    EXPECT_NE(run(R"({"op":"invoice_totals","lines":[]})").find(R"("field":"currency")"), std::string::npos);
    EXPECT_NE(run(R"({"op":"invoice_totals","currency":"USD"})")
                  .find(R"("code":"VALIDATION_REQUIRED","field":"lines")"),
              std::string::npos);
    EXPECT_EQ(run(R"({"op":"invoice_totals","currency":"JPY","lines":[]})"),
              R"({"subtotal":"0","tax":"0","total":"0"})");
    EXPECT_NE(
        run(R"({"op":"invoice_totals","currency":"USD","lines":[{"quantity":"1","unit_price":"1","tax_rate":"1.00001"}]})")
            .find(R"("code":"TOO_MANY_DECIMALS","field":"lines[0].tax_rate")"),
        std::string::npos);
    EXPECT_NE(
        run(R"({"op":"billing_period","date":"2024-02-30"})").find(R"("code":"INVALID_DATE","field":"date")"),
        std::string::npos);
    EXPECT_NE(
        run(R"({"op":"retry_schedule","first_failure":"2024-03-09T15:00:00Z","time_zone":"../../etc/passwd"})")
            .find("INVALID_TIME_ZONE"),
        std::string::npos);
}

TEST(CoreOps, SurvivesHostileLines) {
    std::string deep(100000, '[');
    EXPECT_NE(run(deep).find("INVALID_JSON"), std::string::npos);
    // Depth is limited before anything recursive runs: 64 levels are read, 65 are not.
    std::string at_limit = std::string(64, '[') + std::string(64, ']');
    EXPECT_NE(run(at_limit).find("INVALID_TYPE"), std::string::npos);
    std::string past_limit = std::string(65, '[') + std::string(65, ']');
    EXPECT_EQ(run(past_limit),
              R"({"error":{"code":"INVALID_JSON","field":"","message":"the line is nested more than 64 levels deep"}})");
    std::string deep_closed = std::string(5000, '[') + std::string(5000, ']');
    EXPECT_NE(run(deep_closed).find("INVALID_JSON"), std::string::npos);
    EXPECT_EQ(run(R"({"op":"overdue","op":"overdue"})"),
              R"({"error":{"code":"INVALID_JSON","field":"op","message":"the line repeats the key \"op\" within one object"}})");
    EXPECT_NE(run(R"({"op":"invoice_totals","currency":"USD","lines":[{"quantity":1e999}]})").find("error"),
              std::string::npos);
    EXPECT_NE(run("{\"op\":\"invoice_totals\",\"currency\":\"\xff\"}").find("INVALID_JSON"),
              std::string::npos);
    std::string many = R"({"op":"invoice_totals","currency":"USD","lines":[)";
    for (int i = 0; i < 10000; ++i)
        many += std::string(i ? "," : "") + R"({"quantity":"1","unit_price":"1","tax_rate":"0"})";
    many += "]}";
    EXPECT_NE(run(many).find("TOO_MANY_LINES"), std::string::npos);
}

TEST(CoreOps, ExtraOps) {
    EXPECT_EQ(
        run(R"({"op":"overdue","due_date":"2024-03-31","now":"2024-04-01T03:00:00Z","time_zone":"Asia/Tokyo"})"),
        R"({"overdue":true,"days_past_due":1,"bucket":"1_30"})");
    EXPECT_EQ(
        run(R"({"op":"package_runs","schedule":"annual","engagement_start":"2024-02-29","from":"2024-01-01","to":"2025-06-01"})"),
        R"({"periods":[{"start":"2024-02-29","end":"2024-12-31"},{"start":"2025-01-01","end":"2025-12-31"}]})");
    EXPECT_NE(run(R"({"op":"invoice_preview","currency":"USD","lines":[]})").find(R"("ok":true)"),
              std::string::npos);
}
