#include <catch2/catch.hpp>

#include "ha/switchover.hpp"

using namespace vipkit;

TEST_CASE("switchover marker: round trip through the key's value", "[ha][switchover]") {
  const ha::SwitchoverMarker m{"192.0.2.12:16465", "192.0.2.11:16465", "promote", "vipctl@b pid=42",
                               1795000000000};
  const auto back = ha::parse_marker(ha::format_marker(m), 29500);
  REQUIRE(back.has_value());
  CHECK(*back == m);
}

TEST_CASE("switchover marker: only a bounded marker of ours holds automation back", "[ha][switchover]") {
  const std::string value = R"({"to":"192.0.2.12:16465","from":"192.0.2.11:16465","op":"demote"})";
  CHECK(ha::parse_marker(value, 1000).has_value());
  // PTTL -1: set without an expiry, by hand or by someone else; it could
  // freeze automation forever, so it does not count.
  CHECK_FALSE(ha::parse_marker(value, -1).has_value());
  CHECK_FALSE(ha::parse_marker(value, -2).has_value());
  CHECK_FALSE(ha::parse_marker("yes", 1000).has_value());
  CHECK_FALSE(ha::parse_marker(R"({"from":"192.0.2.11:16465"})", 1000).has_value());
  CHECK_FALSE(ha::parse_marker(R"({"to":""})", 1000).has_value());
  // Wrong types in optional fields are ignored, never thrown.
  const auto odd = ha::parse_marker(R"({"to":"192.0.2.12:16465","from":7,"started_ms":"x"})", 1000);
  REQUIRE(odd.has_value());
  CHECK(odd->from.empty());
  CHECK(odd->started_ms == 0);
}

TEST_CASE("switchover marker: one spelling of the commands that write it", "[ha][switchover]") {
  const ha::SwitchoverMarker m{"192.0.2.12:16465", "192.0.2.11:16465", "promote", "vipctl@b pid=1", 1};
  using V = std::vector<std::string>;
  CHECK(ha::marker_set_command(m, std::chrono::milliseconds(30000), true) ==
        V{"SET", "vipkit:switchover", ha::format_marker(m), "PX", "30000", "NX"});
  CHECK(ha::marker_set_command(m, std::chrono::milliseconds(5000), false) ==
        V{"SET", "vipkit:switchover", ha::format_marker(m), "PX", "5000"});
  CHECK(ha::marker_expire_command(std::chrono::milliseconds(5000)) == V{"PEXPIRE", "vipkit:switchover", "5000"});
  CHECK(ha::marker_delete_command() == V{"DEL", "vipkit:switchover"});
}
