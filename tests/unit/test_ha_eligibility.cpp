#include <catch2/catch.hpp>

#include "ha/eligibility.hpp"
#include "node_builders.hpp"

using namespace vipkit;
using namespace vipkit::test;

namespace {

struct Row {
  const char* name;
  ha::NodeState local;
  ha::NodeState peer;
  std::optional<bool> vip_local;
  bool eligible;
  const char* reason;
};

}  // namespace

TEST_CASE("eligibility decision table", "[ha][eligibility]") {
  const auto peer_master = master(history_a, 1000, 50);
  auto syncing = replica(history_a, 0, 0, "10.0.0.1", 6379, false);
  syncing.sync_in_progress = true;
  auto peer_replica = replica(history_a, 1000, 50, "x", 1, true);

  const std::vector<Row> rows = {
      {"peer down: any alive node may hold the VIP", replica(history_a, 900, 49, "p", 1, false), down(),
       std::nullopt, true, "peer-unreachable"},
      {"peer loading", master(history_c, 0, 0), loading_node(), std::nullopt, true, "peer-loading"},
      {"peer is a replica (of us)", master(history_a, 1000, 50), peer_replica, std::nullopt, true,
       "peer-not-master"},
      {"linked replica of the peer", replica(history_a, 990, 50, "p", 1, true), peer_master,
       std::nullopt, true, "replica-in-sync"},
      {"replica whose link is down", replica(history_a, 900, 49, "p", 1, false), peer_master,
       std::nullopt, false, "replica-link-down"},
      {"replica in full sync", syncing, peer_master, std::nullopt, false, "replica-link-down"},
      {"held replica holding what its restarted master lacks", held(replica(history_a, 900, 49, "p", 1, false)),
       master(history_c, 30, 2), std::nullopt, true, "replica-holds-more"},
      {"unheld replica of another lineage (restarted from an old RDB): not newer for that",
       replica(history_a, 900, 49, "p", 1, false), master(history_c, 30, 2), std::nullopt, false,
       "replica-link-down"},
      {"master restarted while its held replica holds more", master(history_c, 30, 2),
       held(replica(history_a, 900, 49, "x", 1, false)), true, false, "peer-replica-holds-more"},
      {"master whose unheld replica is of another lineage keeps the VIP", master(history_c, 30, 2),
       replica(history_a, 900, 49, "x", 1, false), true, true, "peer-not-master"},
      {"master whose held replica is behind it", master(history_a, 1000, 50),
       held(replica(history_a, 900, 49, "x", 1, false)), true, true, "peer-not-master"},
      {"master whose held replica is empty", master(history_c, 30, 2),
       held(replica(history_a, 0, 0, "x", 1, false)), true, true, "peer-not-master"},
      {"replica of another history", replica(history_c, 10, 3, "q", 2, true), peer_master,
       std::nullopt, false, "replica-of-other-master"},
      {"master holding everything the empty returning peer has", master(history_a, 1000, 50),
       master(history_c, 0, 0), false, true, "peer-covered"},
      {"restarted empty as master while the peer is master", master(history_c, 0, 0), peer_master,
       false, false, "empty-master-peer-master"},
      {"stale master behind the peer's history", master(history_a, 400, 20), peer_master, false,
       false, "stale-master-peer-master"},
      {"stale master after the peer's promotion",
       master(history_a, 300, 20), promoted(history_b, 800, 60, history_a, 300), false, false,
       "stale-master-peer-master"},
      {"diverged, no fork to count from, equal sizes, VIP here: keep it", master(history_c, 10, 50), peer_master,
       true, true, "diverged-holding-vip"},
      {"diverged, equal sizes, VIP on the peer", master(history_c, 10, 50), peer_master, false, false,
       "diverged-peer-master"},
      {"diverged, equal sizes, VIP unknown", master(history_c, 10, 50), peer_master, std::nullopt, true,
       "diverged-vip-unknown"},
      // The chaos soak's case: back empty, 16 writes taken alone while the
      // peer, holding everything, was cut off; both hold the VIP at the heal.
      {"diverged, no fork, the peer's dataset larger: not even with the VIP here", master(history_c, 0, 16),
       master(history_a, 27956, 404), true, false, "diverged-peer-larger"},
      {"diverged, no fork, ours larger: even with the VIP on the peer", master(history_a, 27956, 404),
       master(history_c, 0, 16), false, true, "diverged-local-larger"},
      // The chaos soak's keepalived case: a's Redis came back from an RDB a
      // little older than its replica b; b, holding the rest of history a,
      // was promoted; a took 30 writes meanwhile. b's stretch of history a
      // (replicated writes) decides, not the 30 writes nor the sizes.
      {"both left one history, the peer later: behind, whatever the sizes",
       promoted(history_c, 1006350, 13772, history_a, 1004700),
       promoted(history_b, 1005374, 13758, history_a, 1004833), true, false, "shared-history-peer-longer"},
      {"both left one history, ours later: ours, even with the VIP on the peer",
       promoted(history_b, 1005374, 13758, history_a, 1004833),
       promoted(history_c, 1006350, 13772, history_a, 1004700), false, true, "shared-history-local-longer"},
  };
  for (const auto& row : rows) {
    SECTION(row.name) {
      const auto e = ha::decide_eligibility(row.local, row.peer, row.vip_local);
      CHECK(e.eligible == row.eligible);
      CHECK(e.reason == row.reason);
    }
  }
}
