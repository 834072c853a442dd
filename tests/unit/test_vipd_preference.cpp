#include <catch2/catch.hpp>

#include "vrrp/vipd/preference.hpp"

using namespace vipkit;
using vipd::effective_priority;

TEST_CASE("effective priority = clamp(priority + weight x preference, 1, 254)", "[vipd][priority]") {
  CHECK(effective_priority(100, 0, 15) == 100);
  CHECK(effective_priority(100, 2, 15) == 130);   // promoted
  CHECK(effective_priority(100, -1, 15) == 85);   // demoted
  CHECK(effective_priority(240, 2, 15) == 254);   // never 255: that is the owner's
  CHECK(effective_priority(10, -1, 15) == 1);     // never 0: that means "resigning"
  CHECK(effective_priority(100, 2, 0) == 100);    // weight 0: preference ignored
  CHECK(effective_priority(255, -1, 15) == 255);  // the owner keeps its addresses
}
