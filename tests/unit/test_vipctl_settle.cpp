#include <catch2/catch.hpp>

#include "node_builders.hpp"
#include "vipctl/settle.hpp"

using namespace vipkit;
using namespace vipkit::test;
using vipctl::SettleAction;

namespace {
const std::string a_host = "192.0.2.11";
const std::string b_host = "192.0.2.12";

SettleAction action(const ha::NodeState& old_master, const ha::NodeState& new_master) {
  return vipctl::settle(old_master, new_master).action;
}
}  // namespace

TEST_CASE("settle: after a failed switch step, one action at a time towards one master", "[vipctl][settle]") {
  const auto old_master = master(history_a, 1000, 10);
  const auto linked_new = replica(history_a, 1000, 10, a_host, 16465, true);
  const auto promoted_new = promoted(history_b, 1000, 10, history_a, 1000);  // nothing written since
  const auto old_following = replica(history_b, 1000, 10, b_host, 16465, true);

  // Nothing switched: the old master keeps the role (and is unpaused).
  CHECK(action(old_master, linked_new) == SettleAction::kept);
  CHECK(action(old_master, down()) == SettleAction::kept);
  // FAILOVER still running on the old master: abort it first.
  auto failing_over = old_following;
  failing_over.failover_state = "failover-in-progress";
  CHECK(action(failing_over, linked_new) == SettleAction::abort_failover);
  auto waiting = old_master;
  waiting.failover_state = "waiting-for-sync";
  CHECK(action(waiting, linked_new) == SettleAction::abort_failover);
  // The switch completed after all.
  CHECK(action(old_following, promoted_new) == SettleAction::switched);
  // Aborted after the target promoted itself: both masters. The new one took
  // no write of its own: it follows the old one again.
  CHECK(action(old_master, promoted_new) == SettleAction::repoint_new);
  auto written_new = promoted_new;
  written_new.offset = 1200;
  CHECK(vipctl::settle(old_master, written_new).reason == "split-both-written");
  // The new master died after the old one followed it: the old one has every write.
  CHECK(action(old_following, down()) == SettleAction::promote_old);
  CHECK(action(old_following, replica(history_b, 1000, 10, a_host, 16465, false)) == SettleAction::promote_old);
  // We cannot see the old master: the operator must look.
  CHECK(action(down(), promoted_new) == SettleAction::operator_needed);
  CHECK(action(loading_node(), promoted_new) == SettleAction::operator_needed);
}
