#include <catch2/catch.hpp>

#include "ha/replica_guard.hpp"
#include "node_builders.hpp"

using namespace vipkit;
using namespace vipkit::test;
using ha::GuardAction;

namespace {

struct Row {
  const char* name;
  ha::NodeState local;
  bool held;
  ha::NodeState peer;
  GuardAction action;
  const char* reason;
};

}  // namespace

TEST_CASE("replica guard decision table", "[ha][guard]") {
  const auto linked = replica(history_a, 990, 50, "192.0.2.12", 6379, true);
  const auto unlinked = replica(history_a, 990, 50, "192.0.2.12", 6379, false);
  auto syncing = unlinked;
  syncing.sync_in_progress = true;
  const auto empty_unlinked = replica(history_a, 0, 0, "192.0.2.12", 6379, false);
  const auto master_ahead = master(history_a, 1000, 50);
  const auto restarted_empty = master(history_c, 0, 0);
  const auto restarted_from_rdb = master(history_c, 0, 40);  // a restart always takes a new replid
  CHECK(ha::decide_guard(unlinked, true, restarted_from_rdb).reason == "held");
  const auto promoted_after_us = promoted(history_b, 1200, 55, history_a, 990);
  // Linked since it started, link down for 4 s (Redis's master_link_down_since_seconds).
  auto lost_link = unlinked;
  lost_link.link_down_since_s = 4;
  auto lost_link_empty = empty_unlinked;
  lost_link_empty.link_down_since_s = 4;
  auto lost_link_syncing = syncing;
  lost_link_syncing.link_down_since_s = 0;
  auto master_loading = master(history_c, 0, -1);
  master_loading.loading = true;

  const std::vector<Row> rows = {
      {"linked replica: armed before its link can drop", linked, false, master_ahead, GuardAction::hold, "arm"},
      {"linked replica, armed: nothing to do", linked, true, down(), GuardAction::none, "armed"},
      {"full sync running, not held: vipkit's own re-point, let it finish", syncing, false, restarted_empty,
       GuardAction::none, "not-armed"},
      {"held and empty: nothing to keep, the master covers it", empty_unlinked, true, restarted_empty,
       GuardAction::release, "master-covers"},
      {"link down, never armed (first sync, restart, vipkit was down): Redis syncs it", unlinked, false,
       restarted_empty, GuardAction::none, "not-armed"},
      {"link down, never armed, master gone: still not ours to hold", unlinked, false, down(), GuardAction::none,
       "not-armed"},
      {"link lost while vipkit was not running, master gone: hold before it returns", lost_link, false, down(),
       GuardAction::hold, "arm-master-down"},
      {"link lost, master restarting (loading): hold", lost_link, false, master_loading, GuardAction::hold,
       "arm-master-down"},
      {"link lost, master up: vipkit's own re-point or a looked-at master, Redis syncs it", lost_link, false,
       master_ahead, GuardAction::none, "not-armed"},
      {"link lost, master back empty already: too late to tell a re-point from a restart", lost_link, false,
       restarted_empty, GuardAction::none, "not-armed"},
      {"link lost, master gone, nothing held locally: nothing to keep", lost_link_empty, false, down(),
       GuardAction::none, "not-armed"},
      {"link lost, full sync running: the AUTH is done, holding changes nothing", lost_link_syncing, false, down(),
       GuardAction::none, "not-armed"},
      {"held, master still gone: stay held", unlinked, true, down(), GuardAction::none, "held"},
      {"held, master back without our data: stay held", unlinked, true, restarted_empty, GuardAction::none,
       "held"},
      {"held, master covers us again: release", unlinked, true, master_ahead, GuardAction::release,
       "master-covers"},
      {"held, the peer was promoted after receiving our history: release", unlinked, true, promoted_after_us,
       GuardAction::release, "master-covers"},
      {"held and promoted since: release, tidy", master(history_a, 990, 50), true, down(), GuardAction::release,
       "not-a-replica"},
      {"a master not held: nothing", master(history_a, 990, 50), false, down(), GuardAction::none,
       "not-a-replica"},
      {"local down: nothing", down(), false, down(), GuardAction::none, "not-a-replica"},
  };
  for (const auto& row : rows) {
    DYNAMIC_SECTION(row.name) {
      const auto d = ha::decide_guard(row.local, row.held, row.peer);
      CHECK(ha::to_token(d.action) == ha::to_token(row.action));
      CHECK(d.reason == row.reason);
    }
  }
}
