// The core's client-email settings: reminder days, reply-to and subject templates.
#include <gtest/gtest.h>

#include "shared/messaging/email_settings.hpp"

namespace cp::messaging {
namespace {

using nlohmann::json;

std::vector<std::string> codes(const Errors& errors) {
    std::vector<std::string> out;
    for (const auto& e : errors) out.push_back(e.code + " " + e.field);
    return out;
}

TEST(EmailSettings, DefaultsAreValidAndComplete) {
    const json d = default_email_settings();
    EXPECT_TRUE(validate_email_settings(d, "email").empty());
    for (const auto& kind : message_kinds()) EXPECT_TRUE(d["subjects"][kind].is_string()) << kind;
    EXPECT_EQ(d["reminder_days"], json({-3, 0, 7, 14}));
}

TEST(EmailSettings, RejectsWhatCannotBeSent) {
    const json bad{{"reminder_days", {-61, 3, 3, 366, "x"}},
                   {"reply_to", "not an address"},
                   {"subjects",
                    {{"invoice_issued", "Invoice {numbr}"},
                     {"reminder", "open {"},
                     {"credit_note", "close }"},
                     {"final_notice", ""},
                     {"payment_receipt", "two\nlines"},
                     {"newsletter", "x"}}},
                   {"colour", "red"}};
    const auto got = codes(validate_email_settings(bad, "settings.email"));
    const std::vector<std::string> want = {
        "OUT_OF_RANGE settings.email.reminder_days[0]",
        "DUPLICATE settings.email.reminder_days[2]",
        "OUT_OF_RANGE settings.email.reminder_days[3]",
        "OUT_OF_RANGE settings.email.reminder_days[4]",
        "INVALID_EMAIL settings.email.reply_to",
        "INVALID_TEMPLATE settings.email.subjects.invoice_issued",
        "INVALID_TEMPLATE settings.email.subjects.reminder",
        "INVALID_TEMPLATE settings.email.subjects.credit_note",
        "INVALID_VALUE settings.email.subjects.final_notice",
        "INVALID_VALUE settings.email.subjects.payment_receipt",
        "UNKNOWN_FIELD settings.email.subjects.newsletter",
        "UNKNOWN_FIELD settings.email.colour",
    };
    for (const auto& w : want) EXPECT_NE(std::find(got.begin(), got.end(), w), got.end()) << w;
    EXPECT_EQ(got.size(), want.size());
    EXPECT_EQ(codes(validate_email_settings(json::array(), "e")), std::vector<std::string>{"INVALID_TYPE e"});
    EXPECT_TRUE(validate_email_settings({{"reply_to", nullptr}, {"reminder_days", json::array()}}, "e").empty());
}

TEST(EmailSettings, RendersTemplatesOverDefaults) {
    const json eff = effective_email_settings({{"subjects", {{"reminder", "{firm}: {number} in {days} days"}}}});
    EXPECT_EQ(eff["reminder_days"], default_email_settings()["reminder_days"]);
    EXPECT_EQ(eff["subjects"]["invoice_issued"], default_email_settings()["subjects"]["invoice_issued"]);
    EXPECT_EQ(render_subject(eff["subjects"]["reminder"], {{"firm", "Acme"}, {"number", "INV-1"}, {"days", "3"}}),
              "Acme: INV-1 in 3 days");
    // Values never break the header onto a second line; unknown names stay as written.
    EXPECT_EQ(render_subject("{firm} {x}", {{"firm", "A\r\nBcc: x@y"}}), "A  Bcc: x@y {x}");
    EXPECT_EQ(effective_email_settings(nullptr), default_email_settings());
}

}  // namespace
}  // namespace cp::messaging
