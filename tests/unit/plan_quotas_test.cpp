// Plan quotas: the numbers per plan and which quota a usage is over.
#include "shared/plans/plan_quotas.hpp"

#include <gtest/gtest.h>

using cp::plans::first_quota_exceeded;
using cp::plans::quotas_of;
using cp::plans::Usage;

TEST(PlanQuotas, PerPlan) {
    EXPECT_EQ(quotas_of("starter")->active_members, 5);
    EXPECT_EQ(quotas_of("starter")->clients, 25);
    EXPECT_EQ(quotas_of("professional")->clients, 250);
    EXPECT_FALSE(quotas_of("enterprise")->clients);
    EXPECT_FALSE(quotas_of("platinum"));
}

TEST(PlanQuotas, FirstExceeded) {
    const auto starter = *quotas_of("starter");
    EXPECT_FALSE(first_quota_exceeded(starter, Usage{5, 25}));
    EXPECT_EQ(first_quota_exceeded(starter, Usage{6, 0}), "active_members");
    EXPECT_EQ(first_quota_exceeded(starter, Usage{1, 26}), "clients");
    EXPECT_FALSE(first_quota_exceeded(*quotas_of("enterprise"), Usage{100000, 100000}));
}
