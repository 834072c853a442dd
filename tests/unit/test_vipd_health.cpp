#include <catch2/catch.hpp>

#include "node_builders.hpp"
#include "ha/health.hpp"
#include "vrrp/vipd/second_master.hpp"

using namespace vipkit;
using namespace vipkit::test;
using ha::HealthTracker;
using ha::HealthVerdict;

namespace {
const HealthVerdict good{true, "replica-in-sync", false};
HealthVerdict bad(const char* reason = "unreachable") { return {false, reason, false}; }
}  // namespace

TEST_CASE("health verdict: the vip-check --expect eligible rule", "[vipd][health]") {
  const auto peer_master = master(history_a, 1000, 10);
  SECTION("a dead or loading local Redis is unhealthy, with the error's token") {
    CHECK(ha::health_verdict(down(), peer_master, std::nullopt).reason == "unreachable");
    CHECK_FALSE(ha::health_verdict(down(), peer_master, std::nullopt).healthy);
    const auto busy = ha::NodeState::unreachable({redis::ErrorCode::busy, "BUSY running a script"});
    CHECK(ha::health_verdict(busy, peer_master, std::nullopt).reason == "busy");
    CHECK(ha::health_verdict(loading_node(), peer_master, std::nullopt).reason == "loading");
  }
  SECTION("a linked replica of the master's history is healthy") {
    const auto v = ha::health_verdict(replica(history_a, 1000, 10, "192.0.2.11", 16465, true), peer_master, false);
    CHECK(v.healthy);
    CHECK(v.reason == "replica-in-sync");
  }
  SECTION("an empty master facing a master with data is not") {
    const auto v = ha::health_verdict(master(history_b, 0, 0), peer_master, false);
    CHECK_FALSE(v.healthy);
    CHECK(v.reason == "empty-master-peer-master");
  }
  SECTION("a diverged master of the same size keeps the VIP only where it is") {
    const auto diverged = master(history_b, 500, 10);
    CHECK(ha::health_verdict(diverged, peer_master, true).healthy);
    CHECK_FALSE(ha::health_verdict(diverged, peer_master, false).healthy);
  }
  SECTION("with no fork to count from, the larger dataset is healthy wherever the VIP is") {
    CHECK(ha::health_verdict(master(history_b, 500, 11), peer_master, false).healthy);
    CHECK_FALSE(ha::health_verdict(master(history_b, 500, 9), peer_master, true).healthy);
  }
  SECTION("with the peer down, an alive node is healthy") {
    CHECK(ha::health_verdict(master(history_a, 0, 0), down(), false).reason == "peer-unreachable");
  }
}

TEST_CASE("health tracker: rise, fall and a dead Redis", "[vipd][health]") {
  HealthTracker h(2, 3);
  SECTION("starts unhealthy until `rise` good checks in a row") {
    CHECK_FALSE(h.healthy());
    CHECK(h.reason() == "starting");
    CHECK_FALSE(h.record(good));
    CHECK_FALSE(h.healthy());
    CHECK(h.record(good));
    CHECK(h.healthy());
    CHECK(h.reason() == "replica-in-sync");
  }
  SECTION("a bad check in between restarts the count") {
    h.record(good);
    h.record(bad());
    CHECK_FALSE(h.record(good));
    CHECK(h.record(good));
  }
  h.record(good);
  h.record(good);
  REQUIRE(h.healthy());
  SECTION("`fall` bad checks in a row make it unhealthy, with the last reason") {
    CHECK_FALSE(h.record(bad("timeout")));
    CHECK_FALSE(h.record(bad("timeout")));
    CHECK(h.healthy());
    CHECK(h.record(bad("loading")));
    CHECK_FALSE(h.healthy());
    CHECK(h.reason() == "loading");
  }
  SECTION("a good check resets the fall count") {
    h.record(bad());
    h.record(bad());
    h.record(good);
    h.record(bad());
    CHECK_FALSE(h.record(bad()));
    CHECK(h.healthy());
  }
  SECTION("a dead Redis is unhealthy at once, and must rise again") {
    CHECK(h.dead("connection-closed"));
    CHECK_FALSE(h.healthy());
    CHECK(h.reason() == "connection-closed");
    CHECK_FALSE(h.dead("connection-closed"));  // no second flip
    CHECK_FALSE(h.record(good));
    CHECK(h.record(good));
    CHECK(h.healthy());
  }
}

TEST_CASE("vipd: a second master is held off until the data has spoken", "[vipd][second-master]") {
  using namespace std::chrono_literals;
  const auto t0 = std::chrono::steady_clock::time_point{} + 1h;
  const auto bound = 350ms;
  vipd::SecondMaster heard{t0, false, false, std::nullopt, false, false};
  // Heard, no verdict yet: hold (the check takes a few ms).
  CHECK(vipd::hold_against_second_master(heard, t0 + 5ms, bound));
  CHECK_FALSE(vipd::hold_against_second_master(heard, t0 + 350ms, bound));  // a check that never came
  // The verdict says keep: hold on (the peer is to leave), within the bound.
  heard.verdict_seen = true;
  heard.keep = true;
  CHECK(vipd::hold_against_second_master(heard, t0 + 100ms, bound));
  CHECK_FALSE(vipd::hold_against_second_master(heard, t0 + 350ms, bound));  // a peer that never yields
  // It says yield: the VRRP rule applies at once.
  heard.keep = false;
  CHECK_FALSE(vipd::hold_against_second_master(heard, t0 + 10ms, bound));
}

TEST_CASE("vipd: who keeps the role when two masters meet", "[vipd][second-master]") {
  const auto me = master(history_b, 9000, 60);
  const auto peer_master = master(history_a, 100, 5);
  const auto peer_follows_me = replica(history_b, 9000, 60, "192.0.2.12", 6379, true);
  CHECK(vipd::keeps_role_against_second_master(true, "diverged-local-ahead", me, peer_master));
  CHECK(vipd::keeps_role_against_second_master(true, "peer-no-data-past-fork", me, peer_master));
  CHECK_FALSE(vipd::keeps_role_against_second_master(true, "diverged-holding-vip", me, peer_master));
  CHECK(vipd::keeps_role_against_second_master(true, "diverged-local-larger", me, peer_master));
  CHECK_FALSE(vipd::keeps_role_against_second_master(false, "diverged-peer-ahead", me, peer_master));
  // A switchover (vipctl promote): the old master's Redis follows us already,
  // its vipd still advertises the preference it is about to drop.
  CHECK(vipd::keeps_role_against_second_master(true, "peer-not-master", me, peer_follows_me));
  // Our own Redis is not the master: nothing of ours to keep.
  CHECK_FALSE(vipd::keeps_role_against_second_master(true, "peer-not-master", peer_follows_me, peer_follows_me));
}

TEST_CASE("vipd: a master whose Redis follows the other master leaves the role", "[vipd][second-master]") {
  const auto peer_master = master(history_b, 9000, 60);
  const auto me_following = replica(history_b, 9000, 60, "192.0.2.12", 6379, true);
  const auto me_master = master(history_a, 100, 5);
  // The other side re-pointed our Redis at the heal, or a switchover did.
  CHECK(vipd::resigns_to_second_master(false, me_following, peer_master));
  // The verdict says keep: never.
  CHECK_FALSE(vipd::resigns_to_second_master(true, me_following, peer_master));
  // Still a master of our own: health and the VRRP rule decide, not this.
  CHECK_FALSE(vipd::resigns_to_second_master(false, me_master, peer_master));
  // The other is not a master (it left already), or is unreachable.
  CHECK_FALSE(vipd::resigns_to_second_master(false, me_following, me_following));
  CHECK_FALSE(vipd::resigns_to_second_master(false, me_following, ha::NodeState{}));
}

TEST_CASE("vipd: behind past the fork is unhealthy at once, without the fall count", "[vipd][health]") {
  ha::HealthTracker tracker(1, 3);
  CHECK(tracker.record({true, "replica-in-sync", false}));
  CHECK_FALSE(tracker.record({true, "replica-in-sync", false}));  // one more: stays
  CHECK(tracker.record({false, "diverged-peer-ahead", true}));
  CHECK_FALSE(tracker.healthy());
  CHECK(tracker.reason() == "diverged-peer-ahead");
}
