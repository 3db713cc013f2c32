// The role → capability table in the core: the server enforces it and the portal's sidebar
// is drawn from it, so its rows are pinned here.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "shared/auth/capabilities.hpp"

namespace {

using cp::auth::Capability;
using cp::auth::kAllCapabilities;
using cp::auth::role_has;

std::set<std::string> caps_of(const char* role) {
    std::set<std::string> out;
    for (auto c : kAllCapabilities) {
        if (role_has(role, c)) out.insert(std::string(cp::auth::to_string(c)));
    }
    return out;
}

TEST(Capabilities, EveryCapabilityIsListedOnceWithItsOwnName) {
    std::set<std::string> names;
    for (auto c : kAllCapabilities) names.insert(std::string(cp::auth::to_string(c)));
    EXPECT_EQ(names.size(), std::size(kAllCapabilities));
    EXPECT_EQ(names.count("unknown"), 0u);
    EXPECT_EQ(std::size(kAllCapabilities), static_cast<std::size_t>(Capability::billing_run) + 1);
}

TEST(Capabilities, RolesSeeWhatTheTableGrants) {
    EXPECT_EQ(caps_of("owner").size(), std::size(kAllCapabilities));
    EXPECT_EQ(caps_of("admin").count("firm.settings"), 0u);
    EXPECT_EQ(caps_of("admin").size(), std::size(kAllCapabilities) - 1);
    EXPECT_EQ(caps_of("staff"),
              (std::set<std::string>{"firm.read", "clients.read", "engagements.read", "time.own", "time.read"}));
    EXPECT_EQ(caps_of("contractor"), (std::set<std::string>{"firm.read", "time.own", "time.read"}));
    EXPECT_EQ(caps_of("billing").count("invoices.write"), 1u);
    EXPECT_EQ(caps_of("billing").count("members.read"), 0u);
    EXPECT_TRUE(caps_of("client portal").empty());
    EXPECT_FALSE(cp::auth::is_firm_role("break_glass"));
    EXPECT_TRUE(role_has("break_glass", Capability::audit_read));
}

}  // namespace
