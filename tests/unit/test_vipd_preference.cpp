#include <catch.hpp>

#include <fstream>

#include "temp_dir.hpp"
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

TEST_CASE("prefer file: one integer -1..2, missing = 0", "[vipd][priority]") {
  test::TempDir dir;
  const std::string path = (dir.path / "sub" / "redis_16465.prefer").string();
  CHECK(vipd::read_preference(path).value() == 0);
  REQUIRE(vipd::write_preference(path, 2));
  CHECK(vipd::read_preference(path).value() == 2);
  REQUIRE(vipd::write_preference(path, -1));
  CHECK(vipd::read_preference(path).value() == -1);
  std::ofstream(path) << "7\n";
  CHECK_FALSE(vipd::read_preference(path));
  std::ofstream(path) << "high\n";
  CHECK(vipd::read_preference(path).error().message.find("-1..2") != std::string::npos);
}
