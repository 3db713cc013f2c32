// Every state machine against its specification, exhaustively: the allowed edges below are
// the spec (docs and DOMAIN rules); the test is generated from them over every ordered pair
// of states, so each allowed transition is tried, every other one must be refused with
// INVALID_TRANSITION naming both states, and next_states lists exactly the allowed targets.
// A row dropped from or added to a table in shared/state fails here.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "shared/state/break_glass_status.hpp"
#include "shared/state/dispute_status.hpp"
#include "shared/state/engagement_status.hpp"
#include "shared/state/firm_status.hpp"
#include "shared/state/invoice_status.hpp"
#include "shared/state/payment_status.hpp"

namespace {

using namespace cp::state;
using Edges = std::set<std::pair<std::string, std::string>>;

template <class S, class Parse>
void check_machine(const std::vector<std::string>& names, const Edges& allowed, Parse parse) {
    // Names in enum order, round trip, and nothing past the last one.
    for (size_t i = 0; i < names.size(); ++i) {
        const S s = static_cast<S>(i);
        EXPECT_EQ(to_string(s), names[i]);
        auto parsed = parse(names[i]);
        ASSERT_TRUE(parsed) << names[i];
        EXPECT_EQ(*parsed, s);
    }
    EXPECT_EQ(to_string(static_cast<S>(names.size())), "unknown");
    EXPECT_FALSE(parse("nope"));
    for (const auto& [from, to] : allowed) {
        ASSERT_TRUE(parse(from) && parse(to)) << "spec names an unknown state: " << from << " -> " << to;
    }
    size_t allowed_seen = 0, refused_seen = 0;
    for (const auto& from : names) {
        const S a = *parse(from);
        std::set<std::string> expected_next;
        for (const auto& to : names) {
            const S b = *parse(to);
            const bool ok = allowed.count({from, to}) > 0;
            SCOPED_TRACE(from + " -> " + to);
            EXPECT_EQ(can_transition(a, b), ok);
            auto r = transition(a, b);
            EXPECT_EQ(static_cast<bool>(r), ok);
            if (ok) {
                ++allowed_seen;
                expected_next.insert(to);
                if (r) {
                    EXPECT_EQ(r.value(), b);
                }
            } else {
                ++refused_seen;
                if (!r) {
                    EXPECT_EQ(r.error().code, "INVALID_TRANSITION");
                    EXPECT_EQ(r.error().field, "status");
                    EXPECT_NE(r.error().message.find("'" + from + "'"), std::string::npos) << r.error().message;
                    EXPECT_NE(r.error().message.find("'" + to + "'"), std::string::npos) << r.error().message;
                }
            }
        }
        std::vector<std::string> next;
        for (S s : next_states(a)) next.emplace_back(to_string(s));
        EXPECT_EQ(std::set<std::string>(next.begin(), next.end()), expected_next) << from;
        EXPECT_EQ(next.size(), expected_next.size()) << from << ": next_states repeats a state";
    }
    EXPECT_EQ(allowed_seen, allowed.size());
    EXPECT_EQ(allowed_seen + refused_seen, names.size() * names.size());
}

TEST(TransitionTables, Invoice) {
    check_machine<InvoiceStatus>(
        {"draft", "sent", "partial", "paid", "overdue", "void", "failed", "disputed", "charged_back", "refunded"},
        {{"draft", "sent"},        {"sent", "partial"},        {"sent", "paid"},         {"sent", "overdue"},
         {"sent", "void"},         {"sent", "failed"},         {"sent", "disputed"},     {"partial", "paid"},
         {"partial", "overdue"},   {"partial", "failed"},      {"partial", "disputed"},  {"partial", "refunded"},
         {"overdue", "partial"},   {"overdue", "paid"},        {"overdue", "failed"},    {"overdue", "void"},
         {"overdue", "disputed"},  {"failed", "partial"},      {"failed", "paid"},       {"failed", "overdue"},
         {"failed", "void"},       {"paid", "partial"},        {"paid", "refunded"},     {"paid", "disputed"},
         {"disputed", "paid"},     {"disputed", "partial"},    {"disputed", "charged_back"}},
        invoice_status_from_string);
}

TEST(TransitionTables, BreakGlass) {
    check_machine<BreakGlassStatus>({"active", "expired", "revoked"}, {{"active", "expired"}, {"active", "revoked"}},
                                    break_glass_status_from_string);
}

TEST(TransitionTables, Dispute) {
    check_machine<DisputeStatus>(
        {"warning_needs_response", "warning_under_review", "warning_closed", "needs_response", "under_review", "won",
         "lost"},
        {{"warning_needs_response", "warning_under_review"},
         {"warning_needs_response", "warning_closed"},
         {"warning_under_review", "warning_closed"},
         {"warning_needs_response", "needs_response"},
         {"warning_under_review", "needs_response"},
         {"needs_response", "under_review"},
         {"needs_response", "won"},
         {"needs_response", "lost"},
         {"under_review", "won"},
         {"under_review", "lost"}},
        dispute_status_from_string);
}

TEST(TransitionTables, Engagement) {
    check_machine<EngagementStatus>({"current", "completed", "renewed"},
                                    {{"current", "completed"}, {"current", "renewed"}, {"completed", "renewed"}},
                                    engagement_status_from_string);
}

TEST(TransitionTables, Firm) {
    check_machine<FirmStatus>({"trial", "active", "suspended", "canceled", "offboarding"},
                              {{"trial", "active"},
                               {"trial", "suspended"},
                               {"trial", "canceled"},
                               {"active", "suspended"},
                               {"suspended", "active"},
                               {"active", "canceled"},
                               {"suspended", "canceled"},
                               {"trial", "offboarding"},
                               {"active", "offboarding"},
                               {"suspended", "offboarding"},
                               {"offboarding", "active"},
                               {"offboarding", "canceled"}},
                              firm_status_from_string);
}

TEST(TransitionTables, Payment) {
    check_machine<PaymentStatus>({"pending", "succeeded", "failed", "refunded", "requires_action"},
                                 {{"pending", "succeeded"},
                                  {"pending", "failed"},
                                  {"pending", "requires_action"},
                                  {"requires_action", "succeeded"},
                                  {"requires_action", "failed"},
                                  {"succeeded", "refunded"}},
                                 payment_status_from_string);
}

// Unknown names are INVALID_ENUM listing every state, for each machine's parser.
TEST(TransitionTables, UnknownNamesListEveryState) {
    auto r = parse_invoice_status("drafty");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "INVALID_ENUM");
    for (const char* n : {"draft", "sent", "refunded", "charged_back"}) {
        EXPECT_NE(r.error().message.find(n), std::string::npos) << n;
    }
    EXPECT_EQ(parse_firm_status("Active").error().code, "INVALID_ENUM");
    EXPECT_EQ(parse_payment_status("").error().code, "INVALID_ENUM");
    EXPECT_EQ(parse_dispute_status("won ").error().code, "INVALID_ENUM");
    EXPECT_EQ(parse_engagement_status("renew").error().code, "INVALID_ENUM");
    EXPECT_EQ(parse_break_glass_status("closed").error().code, "INVALID_ENUM");
}

}  // namespace
