// vipd's health checks during a dual master: one backlog replay a second.
#include <catch2/catch.hpp>

#include "ha/divergence_memo.hpp"

using namespace std::chrono_literals;
using vipkit::ha::DivergenceMemo;
using vipkit::ha::DivergenceReplay;

TEST_CASE("divergence memo: one replay serves the checks of the next second", "[vipd][divergence]") {
  vipkit::ha::NodeState local;
  local.reachable = true;
  local.replid = "aaaa";
  vipkit::ha::NodeState peer = local;
  peer.replid = "bbbb";
  const DivergenceMemo::TimePoint t0{std::chrono::seconds(100)};
  DivergenceMemo memo(1s);
  CHECK_FALSE(memo.recall(local, peer, t0).has_value());  // nothing replayed yet
  memo.remember(local, peer, t0, DivergenceReplay{std::nullopt, "backlog gone"});

  SECTION("the next checks of that second reuse it") {
    auto r = memo.recall(local, peer, t0 + 900ms);
    REQUIRE(r.has_value());
    CHECK(r->error == "backlog gone");
  }
  SECTION("a second later: replay again") { CHECK_FALSE(memo.recall(local, peer, t0 + 1s).has_value()); }
  SECTION("a promotion or a re-point on either side (new replication id): replay at once") {
    auto promoted = peer;
    promoted.replid = "cccc";
    CHECK_FALSE(memo.recall(local, promoted, t0 + 100ms).has_value());
    auto repointed = local;
    repointed.replid = "bbbb";
    CHECK_FALSE(memo.recall(repointed, peer, t0 + 100ms).has_value());
  }
  SECTION("a clock that went backwards never makes a replay look young") {
    CHECK_FALSE(memo.recall(local, peer, t0 - 1ms).has_value());
  }
}
