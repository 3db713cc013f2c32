// Unit tests written for mutants that survived scripts/mutate (issue 17).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "shared/protocol/core_ops.hpp"
#include "shared/time/zone_cache.hpp"
#include "shared/validation/expense_validation.hpp"
#include "zoneinfo_fixture.hpp"
#include "shared/validation/field_rules.hpp"
#include "shared/validation/json_reader.hpp"

namespace {

using nlohmann::json;

TEST(MutationKills, EmailDomainsNeedSomethingAfterTheLastDot) {
    using cp::validation::is_plausible_email;
    EXPECT_TRUE(is_plausible_email("a@b.c"));
    EXPECT_FALSE(is_plausible_email("a@b."));
    EXPECT_FALSE(is_plausible_email("a@.b"));
    EXPECT_FALSE(is_plausible_email("a@b"));
    EXPECT_FALSE(is_plausible_email("a@b..c"));
    EXPECT_FALSE(is_plausible_email("a@-b.c"));
    EXPECT_FALSE(is_plausible_email("@b.c"));
    EXPECT_FALSE(is_plausible_email("a@b@c.d"));
    EXPECT_TRUE(is_plausible_email(std::string(64, 'a') + "@b.c"));
    EXPECT_FALSE(is_plausible_email(std::string(65, 'a') + "@b.c"));
}

TEST(MutationKills, Utf8EveryLengthValidAndEachContinuationByteChecked) {
    using cp::validation::is_valid_utf8;
    EXPECT_TRUE(is_valid_utf8("plain"));
    EXPECT_TRUE(is_valid_utf8("\xC3\xA9"));              // é, 2 bytes
    EXPECT_TRUE(is_valid_utf8("a\xC3\xA9z"));
    EXPECT_TRUE(is_valid_utf8("\xE2\x82\xAC"));          // €, 3 bytes
    EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));      // U+1F600, 4 bytes
    EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));      // U+10FFFF, the last
    EXPECT_FALSE(is_valid_utf8("\xC3\x28"));             // bad 2nd byte
    EXPECT_FALSE(is_valid_utf8("\xE2\x82\x28"));         // bad last byte of 3
    EXPECT_FALSE(is_valid_utf8("\xF0\x9F\x98\x28"));     // bad last byte of 4
    EXPECT_FALSE(is_valid_utf8("\xF0\x9F\x28\x80"));     // bad 3rd byte of 4
    EXPECT_FALSE(is_valid_utf8("\xC3"));                 // truncated
    EXPECT_FALSE(is_valid_utf8("\xE2\x82"));
    EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));             // overlong
    EXPECT_FALSE(is_valid_utf8("\xE0\x9F\xBF"));         // overlong 3
    EXPECT_TRUE(is_valid_utf8("\xE0\xA0\x80"));          // first non-overlong 3
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));         // surrogate
    EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));          // just below the surrogates
    EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));     // past U+10FFFF
    EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
    EXPECT_FALSE(is_valid_utf8("\x80"));                 // lone continuation
}

TEST(MutationKills, ExpenseBodiesRefuseUnknownFields) {
    using cp::validation::Mode;
    json body{{"engagement_id", "eng_1"}, {"date", "2024-01-02"}, {"description", "Train"}, {"amount", "12.50"}};
    EXPECT_TRUE(cp::validation::validate_expense(body, Mode::create, std::nullopt).empty());
    body["mileage"] = "12";
    auto errors = cp::validation::validate_expense(body, Mode::create, std::nullopt);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].code, "UNKNOWN_FIELD");
    EXPECT_EQ(errors[0].field, "mileage");
}

TEST(MutationKills, ExpenseDescriptionsMustNotBeBlank) {
    using cp::validation::Mode;
    json body{{"engagement_id", "eng_1"}, {"date", "2024-01-02"}, {"description", " \t "}, {"amount", "12.50"}};
    auto errors = cp::validation::validate_expense(body, Mode::create, std::nullopt);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].code, "VALIDATION_REQUIRED");
    EXPECT_EQ(errors[0].field, "description");
}

TEST(MutationKills, ExpenseCategoryIsAStringOfAtMost100Characters) {
    using cp::validation::Mode;
    json body{{"engagement_id", "eng_1"}, {"date", "2024-01-02"}, {"description", "Train"}, {"amount", "12.50"}};
    body["category"] = std::string(100, 'c');
    EXPECT_TRUE(cp::validation::validate_expense(body, Mode::create, std::nullopt).empty());
    body["category"] = std::string(101, 'c');
    auto long_one = cp::validation::validate_expense(body, Mode::create, std::nullopt);
    ASSERT_EQ(long_one.size(), 1u);
    EXPECT_EQ(long_one[0].code, "STRING_TOO_LONG");
    EXPECT_EQ(long_one[0].field, "category");
    body["category"] = 7;
    auto typed = cp::validation::validate_expense(body, Mode::create, std::nullopt);
    ASSERT_EQ(typed.size(), 1u);
    EXPECT_EQ(typed[0].code, "INVALID_TYPE");
}

TEST(MutationKills, EmailsAreAtMost254Characters) {
    using cp::validation::is_plausible_email;
    const std::string domain = "@" + std::string(60, 'd') + ".test";
    EXPECT_TRUE(is_plausible_email(std::string(64, 'a') + "@" + std::string(184, 'd') + ".test"));  // 254
    EXPECT_FALSE(is_plausible_email(std::string(64, 'a') + "@" + std::string(185, 'd') + ".test"));  // 255
}

TEST(MutationKills, ABalanceDuePastTheLimitIsAnOverflow) {
    cp::time::ZoneCache zones(read_system_zone);
    auto run = [&](const std::string& paid) {
        return cp::protocol::handle_core_line(
            R"({"op":"invoice_totals","currency":"USD","document_type":"credit_note","amount_paid":")" + paid +
                R"(","lines":[{"quantity":"-1","unit_price":"9999999999999.99","tax_rate":"0"}]})",
            zones);
    };
    // total -9,999,999,999,999.99 (the limit); paying 0 leaves the balance at the limit, 0.01 more is past it.
    EXPECT_EQ(run("0"), R"({"subtotal":"-9999999999999.99","tax":"0.00","total":"-9999999999999.99"})");
    EXPECT_NE(run("0.01").find(R"("code":"AMOUNT_OVERFLOW","field":"balance_due")"), std::string::npos)
        << run("0.01");
}

}  // namespace
