#include <catch2/catch.hpp>

#include "ha/divergence.hpp"
#include "ha/eligibility.hpp"
#include "ha/plan.hpp"
#include "node_builders.hpp"

using namespace vipkit;
using namespace vipkit::test;
using ha::Action;
using ha::Lead;
using ha::VrrpState;

namespace {

const redis::Endpoint peer_at{"192.0.2.12", 6379, ""};

ha::PastFork past(long long span, long long data_commands, long long data_bytes, bool complete = true) {
  return ha::PastFork{span, complete ? span : data_bytes, data_bytes, data_commands, complete};
}
const ha::PastFork pings_only = past(28, 0, 0);
const ha::PastFork few_writes = past(4000, 100, 3900);
const ha::PastFork many_writes = past(46000, 1150, 45900);

ha::Divergence split(const ha::PastFork& local, const ha::PastFork& peer) {
  return ha::Divergence{{history_a, 5000}, local, peer};
}

}  // namespace

TEST_CASE("fork point of two masters", "[ha][divergence]") {
  // a kept its history and moved on by 28 bytes; b, its replica, was
  // promoted at offset 5000 (second_repl_offset 5001) and took writes.
  const auto a = master(history_a, 5028, 50);
  const auto b = promoted(history_b, 51000, 1200, history_a, 5000);
  CHECK(ha::fork_point(a, b) == ha::ForkPoint{history_a, 5000});
  CHECK(ha::fork_point(b, a) == ha::ForkPoint{history_a, 5000});
  // a stopped before the promotion point (it lost the tail b had already).
  CHECK(ha::fork_point(master(history_a, 4900, 50), b) == ha::ForkPoint{history_a, 4900});
  // Both promoted from a third history: the earlier promotion is the fork.
  const auto c1 = promoted(history_b, 7000, 10, history_c, 3000);
  const auto c2 = promoted(history_a, 9000, 10, history_c, 3500);
  CHECK(ha::fork_point(c1, c2) == ha::ForkPoint{history_c, 3000});
  // Unrelated datasets share nothing.
  CHECK_FALSE(ha::fork_point(master(history_a, 10, 1), master(history_b, 10, 1)).has_value());
  CHECK(ha::diverged_masters(a, b));
  CHECK_FALSE(ha::diverged_masters(a, down()));
  CHECK_FALSE(ha::diverged_masters(replica(history_a, 5000, 50, "192.0.2.11", 6379, true), b));
}

TEST_CASE("tally of a replayed stream: PINGs are not data", "[ha][divergence]") {
  CHECK(ha::resp_size({"PING"}) == 14);                  // *1\r\n$4\r\nPING\r\n
  CHECK(ha::resp_size({"SET", "k", "v"}) == 27);         // *3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n
  CHECK(ha::resp_size({"SET", std::string(10, 'x'), "v"}) == 37);
  ha::PastFork p;
  ha::tally(p, {"PING"});
  ha::tally(p, {"PING"});
  CHECK(p.bytes == 28);  // the 28 bytes: two replication PINGs
  CHECK(p.data_commands == 0);
  ha::tally(p, {"SELECT", "0"});
  ha::tally(p, {"REPLCONF", "GETACK", "*"});
  ha::tally(p, {"multi"});
  ha::tally(p, {"SET", "vipkit:switchover", "{}", "PX", "3000"});
  ha::tally(p, {"EXEC"});
  CHECK(p.data_commands == 0);
  ha::tally(p, {"SET", "k", "v"});
  ha::tally(p, {"DEL", "k"});
  CHECK(p.data_commands == 2);
  CHECK(p.data_bytes == 27 + ha::resp_size({"DEL", "k"}));
}

TEST_CASE("who is ahead past the fork", "[ha][divergence]") {
  CHECK(ha::lead_of(split(pings_only, many_writes)) == Lead::peer);
  CHECK(ha::lead_of(split(many_writes, few_writes)) == Lead::local);
  CHECK(ha::lead_of(split(pings_only, pings_only)) == Lead::even);
  // A replay cut by the size cap weighs at least its span.
  CHECK(ha::lead_of(split(past(5'000'000, 900, 900'000, false), many_writes)) == Lead::local);
  CHECK(ha::no_data_past_fork(pings_only));
  CHECK_FALSE(ha::no_data_past_fork(few_writes));
  CHECK_FALSE(ha::no_data_past_fork(past(5'000'000, 0, 0, false)));  // not read to the end: unknown
}

TEST_CASE("two masters: the data past the fork decides the plan", "[ha][divergence][plan]") {
  const auto local = master(history_a, 5028, 50);
  const auto peer = promoted(history_b, 51000, 1200, history_a, 5000);
  struct Row {
    const char* name;
    VrrpState state;
    ha::Divergence divergence;
    bool fence;
    Action action;
    const char* reason;
  };
  const std::vector<Row> rows = {
      // Heal after a partition: the isolated old master (higher priority)
      // took no writes, only PINGs; the promoted side took 1,150.
      {"master, peer took writes, we took none -> we yield (wait for eligibility)", VrrpState::master,
       split(pings_only, many_writes), false, Action::wait, "split-peer-ahead"},
      {"... and with fencing we stop our writes meanwhile", VrrpState::master, split(pings_only, many_writes), true,
       Action::fence, "split-peer-ahead"},
      {"master, peer took none -> the peer follows us, nothing lost", VrrpState::master,
       split(many_writes, pings_only), false, Action::peer_follow, "peer-no-data-past-fork"},
      {"master, both took writes, we more -> the peer snapshots itself", VrrpState::master,
       split(many_writes, few_writes), false, Action::nothing, "peer-behind"},
      {"master, both even -> refuse as before", VrrpState::master, split(few_writes, few_writes), false,
       Action::refuse, "split-peer-diverged"},
      {"backup, we took no data -> plain re-point, no snapshot", VrrpState::backup, split(pings_only, many_writes),
       false, Action::repoint, "covered-no-data-past-fork"},
      {"backup, we took more -> keep it, the VIP comes here", VrrpState::backup, split(many_writes, few_writes),
       false, Action::wait, "local-ahead"},
      {"... and with fencing the peer's writes stop until the VIP moves here", VrrpState::backup,
       split(many_writes, few_writes), true, Action::fence_peer, "local-ahead"},
      {"backup, the peer took more -> snapshot ours and follow", VrrpState::backup, split(few_writes, many_writes),
       false, Action::snapshot_repoint, "diverged"},
  };
  for (const auto& row : rows) {
    DYNAMIC_SECTION(row.name) {
      const bool vip_here = row.state == VrrpState::master;
      const auto plan =
          ha::decide({row.state, local, peer, peer_at, vip_here, true, row.divergence}, {ha::DivergencePolicy::snapshot, row.fence});
      CHECK(ha::to_token(plan.action) == ha::to_token(row.action));
      CHECK(plan.reason == row.reason);
      // Only the side that is ahead asks the speaker for the role.
      CHECK(plan.claim_role == (plan.reason == "local-ahead" || plan.reason == "peer-behind"));
      // Only the side that is behind with the VIP gives it up.
      CHECK(plan.yield_vip == (plan.reason == "split-peer-ahead"));
    }
  }
}

TEST_CASE("two masters with no fork to count from: the larger dataset decides the plan",
          "[ha][divergence][plan]") {
  // The chaos soak's case: a's Redis back empty took 16 writes alone while
  // b, holding everything (replicated writes included), was cut off; at the
  // heal both are masters of unrelated histories, and both hold the VIP.
  const auto empty_back = master(history_c, 0, 16);
  const auto holds_all = master(history_a, 27956, 404);
  struct Row {
    const char* name;
    VrrpState state;
    ha::NodeState local;
    ha::NodeState peer;
    bool fence;
    Action action;
    const char* reason;
  };
  const std::vector<Row> rows = {
      {"master, the peer larger -> yield the VIP (wait)", VrrpState::master, empty_back, holds_all, false,
       Action::wait, "split-peer-larger"},
      {"... with fencing, stop our writes meanwhile", VrrpState::master, empty_back, holds_all, true, Action::fence,
       "split-peer-larger"},
      {"master, ours larger -> keep it, claim the role", VrrpState::master, holds_all, empty_back, false,
       Action::nothing, "peer-smaller"},
      {"master, equal sizes -> refuse as before", VrrpState::master, master(history_c, 0, 404), holds_all, false,
       Action::refuse, "split-peer-diverged"},
      {"backup, ours larger -> no snapshot, the VIP comes here", VrrpState::backup, holds_all, empty_back, false,
       Action::wait, "local-larger"},
      {"backup, the peer larger -> snapshot ours and follow", VrrpState::backup, empty_back, holds_all, false,
       Action::snapshot_repoint, "diverged"},
  };
  for (const auto& row : rows) {
    DYNAMIC_SECTION(row.name) {
      const bool vip_here = row.state == VrrpState::master;
      const auto plan = ha::decide({row.state, row.local, row.peer, peer_at, vip_here, true, std::nullopt},
                                   {ha::DivergencePolicy::snapshot, row.fence});
      CHECK(ha::to_token(plan.action) == ha::to_token(row.action));
      CHECK(plan.reason == row.reason);
      CHECK(plan.claim_role == (plan.reason == "local-larger" || plan.reason == "peer-smaller"));
      CHECK(plan.yield_vip == (plan.reason == "split-peer-larger"));
    }
  }
}

TEST_CASE("two masters: the data past the fork decides eligibility", "[ha][divergence][eligibility]") {
  const auto local = master(history_a, 5028, 50);
  const auto peer = promoted(history_b, 51000, 1200, history_a, 5000);
  struct Row {
    ha::Divergence divergence;
    bool vip_here;
    bool eligible;
    const char* reason;
    bool decisive;  // behind in the data: a speaker acts without a fall count
  };
  const std::vector<Row> rows = {
      {split(pings_only, many_writes), true, false, "no-data-past-fork-peer-master", true},
      {split(many_writes, pings_only), false, true, "peer-no-data-past-fork", false},
      {split(many_writes, few_writes), false, true, "diverged-local-ahead", false},
      {split(few_writes, many_writes), true, false, "diverged-peer-ahead", true},
      {split(few_writes, few_writes), true, true, "diverged-holding-vip", false},  // even: the VIP stays
      {split(few_writes, few_writes), false, false, "diverged-peer-master", false},
  };
  for (const auto& row : rows) {
    const auto e = ha::decide_eligibility(local, peer, row.vip_here, row.divergence);
    INFO(row.reason);
    CHECK(e.eligible == row.eligible);
    CHECK(e.reason == row.reason);
    CHECK(e.decisive == row.decisive);
  }
  // Without a replay the larger dataset leads (not decisively)...
  const auto unrelated = ha::decide_eligibility(local, peer, true);
  CHECK(unrelated.reason == "diverged-peer-larger");
  CHECK_FALSE(unrelated.eligible);
  CHECK_FALSE(unrelated.decisive);
  // ... and at equal sizes the VIP stays where it is.
  CHECK(ha::decide_eligibility(master(history_a, 5028, 1200), peer, true).reason == "diverged-holding-vip");
}

TEST_CASE("divergence: the longer copy of a shared history leads", "[ha][divergence]") {
  // b, promoted after holding history a up to 1004833; a's Redis back from
  // an RDB of history a at 1004700, then 30 writes of its own.
  const auto b = promoted(history_b, 1005374, 13758, history_a, 1004833);
  const auto a = promoted(history_c, 1006350, 13772, history_a, 1004700);
  CHECK(ha::shared_history_lead(b, a) == ha::Lead::local);
  CHECK(ha::shared_history_lead(a, b) == ha::Lead::peer);
  // It comes before the size (a is larger) and before the data past the fork.
  CHECK(ha::lead_of(std::nullopt, a, b) == ha::Lead::peer);
  // Left at the same point (two promotions racing), different histories,
  // or one of them not a master: not this rule.
  CHECK_FALSE(ha::shared_history_lead(b, promoted(history_c, 1006350, 13772, history_a, 1004833)));
  CHECK_FALSE(ha::shared_history_lead(b, promoted(history_c, 1006350, 13772, history_b, 1004700)));
  CHECK_FALSE(ha::shared_history_lead(b, master(history_a, 1004900, 13700)));
  CHECK_FALSE(ha::shared_history_lead(b, replica(history_a, 1004700, 13700, "x", 1, false)));
}
