// vip-notify --fifo's peer watch: when does the loop hear of a second master?
#include <catch2/catch.hpp>

#include "common/flag_file.hpp"
#include "temp_dir.hpp"
#include "vip-notify/peer_watch.hpp"

#include <cerrno>
#include <fstream>

using vipkit::notify::MasterEdge;

TEST_CASE("peer watch: only a peer that turns master is news", "[notify][peer-watch]") {
  SECTION("the first probe is never an edge: the MASTER handler has just looked") {
    MasterEdge edge;
    CHECK_FALSE(edge.observe(true));
    CHECK_FALSE(edge.observe(true));
  }
  SECTION("a partition heals: unreachable (not master), then master") {
    MasterEdge edge;
    CHECK_FALSE(edge.observe(false));
    CHECK_FALSE(edge.observe(false));
    CHECK(edge.observe(true));
    CHECK_FALSE(edge.observe(true));  // once per turn, not once per probe
  }
  SECTION("a replica promoted behind our back, demoted, promoted again: two edges") {
    MasterEdge edge;
    CHECK_FALSE(edge.observe(false));
    CHECK(edge.observe(true));
    CHECK_FALSE(edge.observe(false));
    CHECK(edge.observe(true));
  }
}

TEST_CASE("yield file: keepalived's track_file says 1 only while yielding", "[notify][yield-file]") {
  using vipkit::common::set_flag_file;
  vipkit::test::TempDir dir;
  const std::string path = dir.path.string() + "/redis_16465.yield";
  auto read = [&] {
    std::ifstream in(path);
    std::string s;
    std::getline(in, s);
    return s;
  };
  SECTION("missing: written either way, so keepalived's init_file value never lingers") {
    auto w = set_flag_file(path, false);
    REQUIRE(w.ok());
    CHECK(w.value());
    CHECK(read() == "0");
  }
  SECTION("written only on change") {
    REQUIRE(set_flag_file(path, true).ok());
    CHECK(read() == "1");
    auto again = set_flag_file(path, true);
    REQUIRE(again.ok());
    CHECK_FALSE(again.value());
    auto cleared = set_flag_file(path, false);
    REQUIRE(cleared.ok());
    CHECK(cleared.value());
    CHECK(read() == "0");
  }
  SECTION("an unwritable place is an error naming the file, not a crash") {
    auto w = set_flag_file(dir.path.string() + "/no/such/dir/x.yield", true);
    REQUIRE_FALSE(w.ok());
    CHECK(w.error().message.find("no/such/dir") != std::string::npos);
    CHECK(w.error().code == ENOENT);
  }
}
