#include <catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/preference.hpp"

using namespace vipkit;
using common::preference_after;

namespace {

const redis::Endpoint a{"192.0.2.11", 16465, ""};
const redis::Endpoint b{"192.0.2.12", 16465, ""};

ha::SwitchoverMarker to(const redis::Endpoint& target) { return {target.to_string(), "", "promote", "", 0}; }

}  // namespace

TEST_CASE("preference: the automation moves its own host towards the marker", "[common][preference]") {
  // On host a (self = a, peer = b).
  SECTION("the marker names this node: at least preferred, vipctl's 2 kept") {
    CHECK(preference_after(0, to(a), a, b) == 1);
    CHECK(preference_after(-1, to(a), a, b) == 1);
    CHECK(preference_after(2, to(a), a, b) == 2);
  }
  SECTION("the marker names the peer: at most neutral, vipctl's -1 kept") {
    CHECK(preference_after(2, to(b), a, b) == 0);
    CHECK(preference_after(1, to(b), a, b) == 0);
    CHECK(preference_after(-1, to(b), a, b) == -1);
  }
  SECTION("without --self, a marker that does not name the peer names us") {
    CHECK(preference_after(0, to(a), std::nullopt, b) == 1);
    CHECK(preference_after(2, to(b), std::nullopt, b) == 0);
  }
  SECTION("a marker naming neither node, or unparsable, changes nothing") {
    CHECK(preference_after(1, to(redis::Endpoint{"192.0.2.99", 16465, ""}), a, b) == 1);
    CHECK(preference_after(1, ha::SwitchoverMarker{"not an address", "", "", "", 0}, a, b) == 1);
  }
}

TEST_CASE("preference: the seeds/003 arithmetic keeps a planned switch", "[common][preference]") {
  // keepalived: priority 100 (a) / 90 (b), track_file weight 15, eligibility
  // weight -60. The side vipctl ran on wins at once; after the other host's
  // automation has followed the marker, the winner still wins.
  auto prio = [](int base, int pref) { return base + 15 * pref; };
  // promote on b while a was preferred (1)
  CHECK(prio(90, 2) > prio(100, 1));
  CHECK(prio(90, 2) > prio(100, preference_after(1, to(b), a, b)));
  // demote on a (preferred 2) while b is neutral
  CHECK(prio(100, -1) < prio(90, 0));
  CHECK(prio(100, -1) < prio(90, preference_after(0, to(b), b, a)));
  // a node that is not eligible never outranks any eligible one
  CHECK(prio(100, 2) - 60 < prio(90, -1));
}

TEST_CASE("preference file: missing is neutral, garbage is an error", "[common][preference]") {
  const std::string dir = "/tmp/vipkit-pref-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/x.prefer";
  auto missing = common::read_preference(path);
  REQUIRE(missing.ok());
  CHECK(missing.value() == 0);

  REQUIRE(common::write_preference(path, 2).ok());
  CHECK(common::read_preference(path).value() == 2);
  CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
         std::filesystem::perms::group_read | std::filesystem::perms::others_read));

  std::ofstream(path, std::ios::trunc) << "7\n";
  auto out_of_range = common::read_preference(path);
  REQUIRE_FALSE(out_of_range.ok());
  CHECK(out_of_range.error().message.find("holds '7'") != std::string::npos);
  std::ofstream(path, std::ios::trunc) << "one\n";
  CHECK_FALSE(common::read_preference(path).ok());

  std::ofstream(path, std::ios::trunc) << " 1 \n";
  const auto change = common::follow_marker(path, to(b), a, b);
  REQUIRE(change.ok());
  REQUIRE(change.value().has_value());
  CHECK(change.value()->from == 1);
  CHECK(change.value()->to == 0);
  CHECK(common::read_preference(path).value() == 0);
  const auto again = common::follow_marker(path, to(b), a, b);
  REQUIRE(again.ok());
  CHECK_FALSE(again.value().has_value());
  std::filesystem::remove_all(dir);
}
