#include <catch2/catch.hpp>

#include "ha/sentinel_decision.hpp"

using namespace vipkit;
using ha::FenceAction;
using ha::LocalRole;
using ha::OnQuorumLoss;
using ha::SentinelReport;
using ha::VipAction;

namespace {

const redis::Endpoint here{"10.0.0.1", 6379, ""};
const redis::Endpoint here_by_name{"redis-a", 6379, ""};
const redis::Endpoint there{"10.0.0.2", 6379, ""};
const redis::Endpoint third{"10.0.0.3", 6379, ""};

SentinelReport names(const redis::Endpoint& address, std::uint64_t epoch) { return SentinelReport::names(address, epoch); }
SentinelReport failing_over(const redis::Endpoint& address, std::uint64_t epoch) {
  return SentinelReport::names(address, epoch, true);
}
const SentinelReport down = SentinelReport::unreachable();
const SentinelReport broken = SentinelReport::failed("NOAUTH Authentication required.");
const SentinelReport unknown = SentinelReport::unknown();

struct Row {
  const char* name;
  std::vector<SentinelReport> reports;
  LocalRole local;
  OnQuorumLoss on_quorum_loss;
  bool fence;
  std::uint64_t last_epoch;
  bool holding;
  VipAction vip;
  FenceAction fence_action;
  const char* reason;
  std::uint64_t epoch;  // the epoch to remember
};

}  // namespace

TEST_CASE("sentinel VIP decision table", "[ha][sentinel]") {
  const auto keep = OnQuorumLoss::keep;
  const auto release = OnQuorumLoss::release;
  const auto M = LocalRole::master;
  const auto R = LocalRole::replica;
  const auto X = LocalRole::unreachable;
  const auto hold = VipAction::hold;
  const auto drop = VipAction::release;
  const auto none = FenceAction::none;
  const auto fence = FenceAction::fence;
  const auto unfence = FenceAction::unfence;

  const std::vector<Row> rows = {
      // Elected
      {"all three name us, we are master -> hold", {names(here, 4), names(here, 4), names(here, 4)}, M, release,
       true, 4, false, hold, unfence, "local-elected", 4},
      {"two of three name us, one unreachable -> hold", {names(here, 4), down, names(here, 4)}, M, release, true,
       4, true, hold, unfence, "local-elected", 4},
      {"fence off: holding never unpauses", {names(here, 4), names(here, 4), down}, M, release, false, 4, true,
       hold, none, "local-elected", 4},
      {"a Sentinel naming us by host name counts", {names(here_by_name, 4), names(here, 4), down}, M, release,
       true, 4, false, hold, unfence, "local-elected", 4},
      {"a lone lying Sentinel names another master -> changes nothing",
       {names(here, 4), names(there, 4), names(here, 4)}, M, release, true, 4, true, hold, unfence,
       "local-elected", 4},
      {"a lone Sentinel with a huge epoch cannot raise the epoch",
       {names(here, 4), names(there, 99), names(here, 4)}, M, release, true, 4, true, hold, unfence,
       "local-elected", 4},
      {"a majority at a newer epoch raises the epoch to what a majority backs",
       {names(here, 5), names(here, 7), names(here, 4)}, M, release, true, 4, true, hold, unfence,
       "local-elected", 5},
      {"one of five Sentinels answering for us is no majority", {names(here, 2), down, down, down, down}, M,
       release, true, 2, true, drop, fence, "quorum-lost", 2},
      {"three of five name us -> hold", {names(here, 2), names(here, 2), down, broken, names(here, 2)}, M, release,
       true, 2, false, hold, unfence, "local-elected", 2},
      {"two of four is not a majority of the configured", {names(here, 2), names(here, 2), down, down}, M,
       release, true, 2, true, drop, fence, "quorum-lost", 2},

      // Local Redis disagrees or is gone
      {"elected but the local Redis is a replica -> release, lift any pause",
       {names(here, 4), names(here, 4), names(here, 4)}, R, release, true, 4, true, drop, unfence, "local-replica",
       4},
      {"local replica, fence off -> nothing to unpause", {names(there, 4), names(there, 4), names(there, 4)}, R,
       release, false, 4, false, drop, none, "local-replica", 4},
      {"elected but the local Redis does not answer -> release, cannot fence",
       {names(here, 4), names(here, 4), names(here, 4)}, X, release, true, 4, true, drop, none,
       "local-unreachable", 4},
      {"local replica under keep and quorum loss -> release", {down, down, names(here, 4)}, R, keep, true, 4, true,
       drop, unfence, "local-replica", 4},

      // Another master elected
      {"all three name the other host -> release, and lift our pause so Sentinel can demote the old master",
       {names(there, 5), names(there, 5), names(there, 5)}, M, release, true, 4, true, drop, unfence,
       "other-elected", 5},
      {"majority names the other host, fence off", {names(there, 5), names(there, 5), names(here, 4)}, M, release,
       false, 4, true, drop, none, "other-elected", 5},
      {"mid-failover: leader switched, others not yet -> still ours",
       {names(here, 4), names(here, 4), names(there, 5)}, M, release, true, 4, true, hold, unfence,
       "local-elected", 4},
      {"mid-failover: two switched -> the other host's", {names(there, 5), names(here, 4), names(there, 5)}, M,
       release, true, 4, true, drop, unfence, "other-elected", 5},

      // Split reports
      {"three Sentinels, three answers -> no majority", {names(here, 4), names(there, 4), names(third, 4)}, M,
       release, true, 4, true, drop, fence, "no-majority", 4},
      {"one names us, one another, one unknown -> no majority", {names(here, 4), names(there, 4), unknown}, M,
       release, true, 4, true, drop, fence, "no-majority", 4},
      {"keep does not apply to a split with quorum", {names(here, 4), names(there, 4), down}, M, keep, true, 4, true,
       drop, fence, "no-majority", 4},
      {"two Sentinels failing us over withdraw their votes",
       {failing_over(here, 4), failing_over(here, 4), names(here, 4)}, M, release, true, 4, true, drop, fence,
       "failover-in-progress", 4},
      {"one Sentinel failing us over: the other two still stand",
       {failing_over(here, 4), names(here, 4), names(here, 4)}, M, release, true, 4, true, hold, unfence,
       "local-elected", 4},

      // Epoch going backwards
      {"older epochs naming us after the other host was elected -> no view, no VIP",
       {names(here, 4), names(here, 4), names(there, 5)}, M, release, true, 5, false, drop, fence, "quorum-lost", 5},
      {"older epochs under keep: never taken back", {names(here, 4), names(here, 4), names(there, 5)}, M, keep,
       true, 5, false, drop, none, "quorum-lost-not-holding", 5},
      {"the new master keeps the VIP when old reports reappear under keep",
       {names(here, 4), names(here, 4), names(there, 5)}, M, keep, true, 5, true, hold, unfence,
       "quorum-lost-keep", 5},
      {"the same epoch is not stale", {names(here, 5), names(here, 5), names(there, 5)}, M, release, true, 5,
       false, hold, unfence, "local-elected", 5},
      {"the epoch never goes back when the majority is older", {names(there, 3), names(there, 3), names(there, 3)},
       M, release, true, 5, true, drop, fence, "quorum-lost", 5},

      // Quorum lost
      {"no Sentinel answers, release -> release and fence", {down, down, down}, M, release, true, 4, true, drop,
       fence, "quorum-lost", 4},
      {"no Sentinel answers, release, fence off", {down, down, down}, M, release, false, 4, true, drop, none,
       "quorum-lost", 4},
      {"no Sentinel answers, keep, holding -> keep", {down, down, down}, M, keep, true, 4, true, hold, unfence,
       "quorum-lost-keep", 4},
      {"no Sentinel answers, keep, not holding -> never take", {down, down, down}, M, keep, true, 4, false, drop,
       none, "quorum-lost-not-holding", 4},
      {"one answer naming us is no quorum", {names(here, 4), broken, down}, M, release, true, 4, true, drop, fence,
       "quorum-lost", 4},
      {"error replies and unknown names are no views", {broken, unknown, names(here, 4)}, M, release, true, 4, true,
       drop, fence, "quorum-lost", 4},
      {"no Sentinel configured is never a quorum", {}, M, keep, false, 0, false, drop, none,
       "quorum-lost-not-holding", 0},
  };

  for (const Row& row : rows) {
    SECTION(row.name) {
      ha::SentinelInput in;
      in.reports = row.reports;
      in.local_addresses = {here, here_by_name};
      in.local_role = row.local;
      in.policy = {row.on_quorum_loss, row.fence};
      in.last_epoch = row.last_epoch;
      in.holding_vip = row.holding;
      const auto d = ha::decide_sentinel(in);
      INFO(ha::to_text(d));
      CHECK(d.vip == row.vip);
      CHECK(d.fence == row.fence_action);
      CHECK(d.reason == row.reason);
      CHECK(d.epoch == row.epoch);
    }
  }
}

TEST_CASE("sentinel decision log line", "[ha][sentinel]") {
  ha::SentinelInput in;
  in.reports = {names(here, 4), names(here, 4), down};
  in.local_addresses = {here};
  in.local_role = LocalRole::master;
  in.policy.fence = true;
  const auto d = ha::decide_sentinel(in);
  CHECK(ha::to_text(d) ==
        "hold reason=local-elected views=2/3 votes=2 stale=0 elected=10.0.0.1:6379 epoch=4 fence=unfence");

  in.local_addresses = {here_by_name, here};
  CHECK(ha::decide_sentinel(in).elected == here);  // as the Sentinels name it

  in.reports = {names(there, 5), names(there, 5), names(here, 3)};
  in.last_epoch = 4;
  const auto other = ha::decide_sentinel(in);
  CHECK(ha::to_text(other) ==
        "release reason=other-elected views=2/3 votes=0 stale=1 elected=10.0.0.2:6379 epoch=5 fence=unfence");
  CHECK(other.elected == there);
}

TEST_CASE("sentinel majority is more than half of the configured", "[ha][sentinel]") {
  CHECK(ha::sentinel_majority(1) == 1);
  CHECK(ha::sentinel_majority(2) == 2);
  CHECK(ha::sentinel_majority(3) == 2);
  CHECK(ha::sentinel_majority(4) == 3);
  CHECK(ha::sentinel_majority(5) == 3);
}

// The property the default protects: whatever each Sentinel answers, two
// hosts that see the same answers never both hold the VIP.
TEST_CASE("two hosts never both hold on the same reports", "[ha][sentinel]") {
  const std::vector<SentinelReport> choices = {names(here, 4), names(there, 4), names(here, 5), names(there, 5),
                                               down, unknown, failing_over(here, 5)};
  for (const auto& a : choices) {
    for (const auto& b : choices) {
      for (const auto& c : choices) {
        ha::SentinelInput in;
        in.reports = {a, b, c};
        in.local_role = LocalRole::master;
        in.holding_vip = true;
        in.local_addresses = {here};
        const bool first = ha::decide_sentinel(in).vip == VipAction::hold;
        in.local_addresses = {there};
        const bool second = ha::decide_sentinel(in).vip == VipAction::hold;
        CHECK_FALSE((first && second));
      }
    }
  }
}

TEST_CASE("sentinel input: the local addresses are self, then the local endpoint when it differs",
          "[ha][sentinel]") {
  const redis::Endpoint self{"192.0.2.11", 16465, ""};
  const redis::Endpoint loopback{"127.0.0.1", 16465, ""};
  CHECK(ha::local_addresses_of(self, loopback) == std::vector<redis::Endpoint>{self, loopback});
  CHECK(ha::local_addresses_of(self, self) == std::vector<redis::Endpoint>{self});
  CHECK(ha::local_role_of(redis::Role::master) == ha::LocalRole::master);
  CHECK(ha::local_role_of(redis::Role::replica) == ha::LocalRole::replica);
}
