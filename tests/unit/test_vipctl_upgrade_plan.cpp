#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "vipctl/upgrade_plan.hpp"
#include "vipctl/upgrade_render.hpp"
#include "vipctl/upgrade_state.hpp"

using namespace vipkit;
using vipctl::ClusterMember;
using vipctl::ClusterStatus;
using vipctl::StepKind;
using vipctl::UpgradeOptions;
using vipctl::UpgradePlan;

namespace {

const redis::Version old_version{7, 4, 1};
const redis::Version new_version{7, 4, 2};

// A 40-character node id that names its address, for readable failures.
std::string id_of(const std::string& address) {
  std::string id;
  for (const char c : address) {
    if (c >= '0' && c <= '9') id += c;
  }
  id.resize(40, 'a');
  return id;
}

// A cluster as the tests think of it: who is master of which slots, who
// follows whom, which version each runs. status() turns it into what
// cluster_gather would have collected from a healthy cluster of that shape;
// apply() plays a step the way the runner and Redis would.
struct Node {
  std::string host;
  int port = 0;
  std::string master;  // its master's address; empty for a master
  std::vector<redis::SlotRange> slots;
  redis::Version version = old_version;
  std::string address() const { return host + ":" + std::to_string(port); }
};

struct Model {
  std::vector<Node> nodes;
  int restarts_of_slot_masters = 0;       // a master restarted while serving slots: its slots lost their master
  std::map<std::string, int> restarts;    // address -> how many times restarted

  Node& at(const std::string& address) {
    const auto it = std::find_if(nodes.begin(), nodes.end(), [&](const Node& n) { return n.address() == address; });
    REQUIRE(it != nodes.end());
    return *it;
  }
  Node& by_id(const std::string& id) {
    const auto it = std::find_if(nodes.begin(), nodes.end(), [&](const Node& n) { return id_of(n.address()) == id; });
    REQUIRE(it != nodes.end());
    return *it;
  }

  ClusterStatus status() const {
    ClusterStatus s;
    s.seed = nodes.front().address();
    s.info = redis::ClusterInfo{};
    s.info->state = "ok";
    for (const auto& n : nodes) {
      ClusterMember m;
      m.address = n.address();
      m.listed.id = id_of(m.address);
      m.listed.host = n.host;
      m.listed.port = n.port;
      m.listed.bus_port = n.port + 10000;
      m.listed.flags = {n.master.empty() ? "master" : "slave"};
      m.listed.master_id = n.master.empty() ? "" : id_of(n.master);
      m.listed.link_connected = true;
      m.listed.slots = n.slots;
      redis::ReplicationInfo r;
      r.role = n.master.empty() ? redis::Role::master : redis::Role::replica;
      r.master_replid = id_of(n.master.empty() ? m.address : n.master);  // in sync: the master's replid
      r.master_repl_offset = 1000;
      if (!n.master.empty()) {
        const auto colon = n.master.rfind(':');
        r.master_host = n.master.substr(0, colon);
        r.master_port = std::stoi(n.master.substr(colon + 1));
        r.master_link_up = true;
        r.slave_repl_offset = 1000;
      }
      m.replication = r;
      m.version = n.version;
      s.members.push_back(std::move(m));
    }
    std::vector<redis::ClusterNode> view;
    for (const auto& m : s.members) view.push_back(m.listed);
    for (auto& m : s.members) m.view = view;
    return s;
  }

  void apply(const vipctl::UpgradeStep& step, const UpgradeOptions& o) {
    switch (step.kind) {
      case StepKind::restart: {
        Node& n = by_id(step.node.id);
        if (n.master.empty() && !n.slots.empty()) ++restarts_of_slot_masters;
        ++restarts[n.address()];
        if (o.expect_version) n.version = *o.expect_version;
        break;
      }
      case StepKind::failover: {
        Node& replica = by_id(step.node.id);
        Node& master = by_id(step.peer.id);
        REQUIRE(replica.master == master.address());
        const std::string old_master = master.address(), new_master = replica.address();
        replica.slots = std::move(master.slots);
        master.slots.clear();
        replica.master.clear();
        for (auto& n : nodes) {
          if (n.master == old_master) n.master = new_master;
        }
        master.master = new_master;
        break;
      }
      case StepKind::wait_synced:
        // The model is always in sync: a wait that does not hold here is a
        // wait on the wrong node or the wrong master.
        CHECK(vipctl::check_synced(status(), step.node.id, step.peer.id, o.expect_version, 0).empty());
        break;
      case StepKind::check_health:
      case StepKind::backup: break;
    }
  }

  // "address -> master address" of every replica, "address" alone of a master.
  std::vector<std::string> topology() const {
    std::vector<std::string> out;
    for (const auto& n : nodes) out.push_back(n.master.empty() ? n.address() : n.address() + " -> " + n.master);
    return out;
  }
};

// seeds/000: three hosts, a master on 6479 of each, its replica on 6480 of
// the next host, all on 7.4.1.
Model seed_000() {
  Model m;
  m.nodes = {
      {"10.0.0.87", 6479, "", {{0, 5460}}, old_version},
      {"10.0.0.87", 6480, "10.0.0.82:6479", {}, old_version},
      {"10.0.0.9", 6479, "", {{5461, 10922}}, old_version},
      {"10.0.0.9", 6480, "10.0.0.87:6479", {}, old_version},
      {"10.0.0.82", 6479, "", {{10923, 16383}}, old_version},
      {"10.0.0.82", 6480, "10.0.0.9:6479", {}, old_version},
  };
  return m;
}

UpgradeOptions upgrade_to_new() {
  UpgradeOptions o;
  o.expect_version = new_version;
  return o;
}

// One line a step: "kind node", "kind node <- peer".
std::vector<std::string> outline(const UpgradePlan& plan) {
  std::vector<std::string> out;
  for (const auto& s : plan.steps) {
    std::string line = std::string(vipctl::to_token(s.kind)) + " " + s.node.address;
    if (!s.peer.address.empty()) line += " <- " + s.peer.address;
    out.push_back(line);
  }
  return out;
}

std::vector<std::string> reasons(const UpgradePlan& plan) {
  std::vector<std::string> out;
  for (const auto& f : plan.refusals) out.push_back(f.reason);
  return out;
}

using Lines = std::vector<std::string>;

const Lines replica_phase = {
    "restart 10.0.0.9:6480",  "wait-synced 10.0.0.9:6480 <- 10.0.0.87:6479",
    "restart 10.0.0.82:6480", "wait-synced 10.0.0.82:6480 <- 10.0.0.9:6479",
    "restart 10.0.0.87:6480", "wait-synced 10.0.0.87:6480 <- 10.0.0.82:6479",
};
const Lines master_9 = {"failover 10.0.0.82:6480 <- 10.0.0.9:6479", "restart 10.0.0.9:6479",
                        "wait-synced 10.0.0.9:6479 <- 10.0.0.82:6480"};
const Lines master_82 = {"failover 10.0.0.87:6480 <- 10.0.0.82:6479", "restart 10.0.0.82:6479",
                         "wait-synced 10.0.0.82:6479 <- 10.0.0.87:6480"};
const Lines master_87 = {"failover 10.0.0.9:6480 <- 10.0.0.87:6479", "restart 10.0.0.87:6479",
                         "wait-synced 10.0.0.87:6479 <- 10.0.0.9:6480"};

Lines join(std::initializer_list<Lines> parts) {
  Lines out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

const Lines health = {"check-health 10.0.0.87:6479"};

// The seed's "after the upgrade" table.
const Lines seed_after = {
    "10.0.0.87:6479 -> 10.0.0.9:6480", "10.0.0.87:6480", "10.0.0.9:6479 -> 10.0.0.82:6480",
    "10.0.0.9:6480",                   "10.0.0.82:6479 -> 10.0.0.87:6480", "10.0.0.82:6480",
};

void run(Model& m, const UpgradePlan& plan, const UpgradeOptions& o) {
  REQUIRE_FALSE(plan.refused());
  for (const auto& s : plan.steps) m.apply(s, o);
}

}  // namespace

TEST_CASE("seeds/000: backups, replicas by address, then each master failed over and restarted",
          "[vipctl][upgrade]") {
  Model m = seed_000();
  UpgradeOptions o = upgrade_to_new();
  o.backup = true;
  const UpgradePlan plan = vipctl::plan_upgrade(m.status(), o);
  CHECK(reasons(plan).empty());
  CHECK(outline(plan) == join({health,
                               {"backup 10.0.0.9:6479", "backup 10.0.0.82:6479", "backup 10.0.0.87:6479"},
                               replica_phase, master_9, master_82, master_87}));
  CHECK(plan.skipped.empty());
  CHECK(plan.notes.empty());
  CHECK(plan.steps[10].description ==
        "fail 10.0.0.9:6479 over to its replica 10.0.0.82:6480 (CLUSTER FAILOVER on 10.0.0.82:6480): it serves "
        "slots 5461-10922");
  CHECK(plan.steps[5].description ==
        "wait for 10.0.0.9:6480: answers, runs 7.4.2, linked to 10.0.0.87:6479 with its offset caught up, "
        "cluster healthy");

  run(m, plan, o);
  CHECK(m.topology() == seed_after);
  CHECK(m.restarts_of_slot_masters == 0);
  CHECK(m.restarts.size() == 6);
  CHECK(vipctl::plan_upgrade(m.status(), o).steps.size() == 1);  // done: nothing but the health check
}

TEST_CASE("Resume after the replicas are done", "[vipctl][upgrade]") {
  Model m = seed_000();
  for (auto& n : m.nodes) {
    if (n.port == 6480) n.version = new_version;
  }
  const UpgradePlan plan = vipctl::plan_upgrade(m.status(), upgrade_to_new());
  CHECK(outline(plan) == join({health, master_9, master_82, master_87}));
  CHECK(plan.skipped.size() == 3);
  CHECK(plan.skipped[0].reason == "already at 7.4.2");
}

TEST_CASE("Resume after the first master's failover, before its restart", "[vipctl][upgrade]") {
  Model m = seed_000();
  const UpgradeOptions o = upgrade_to_new();
  const UpgradePlan first = vipctl::plan_upgrade(m.status(), o);
  for (std::size_t i = 0; i < 1 + 6 + 1; ++i) m.apply(first.steps[i], o);  // health, replicas, one failover
  REQUIRE(m.at("10.0.0.9:6479").master == "10.0.0.82:6480");

  // The old master is a replica on the old version now: restarted as one,
  // never failed over again; its replica, now its master, is not touched.
  const UpgradePlan plan = vipctl::plan_upgrade(m.status(), o);
  CHECK(outline(plan) ==
        join({health, {"restart 10.0.0.9:6479", "wait-synced 10.0.0.9:6479 <- 10.0.0.82:6480"}, master_82, master_87}));
  run(m, plan, o);
  CHECK(m.topology() == seed_after);
  CHECK(m.restarts_of_slot_masters == 0);
}

TEST_CASE("Resume after the first master's restart", "[vipctl][upgrade]") {
  Model m = seed_000();
  const UpgradeOptions o = upgrade_to_new();
  const UpgradePlan first = vipctl::plan_upgrade(m.status(), o);
  for (std::size_t i = 0; i < 1 + 6 + 3; ++i) m.apply(first.steps[i], o);
  CHECK(outline(vipctl::plan_upgrade(m.status(), o)) == join({health, master_82, master_87}));
}

TEST_CASE("Everything done: only the health check, no backup", "[vipctl][upgrade]") {
  Model m = seed_000();
  for (auto& n : m.nodes) n.version = new_version;
  UpgradeOptions o = upgrade_to_new();
  o.backup = true;
  const UpgradePlan plan = vipctl::plan_upgrade(m.status(), o);
  CHECK(outline(plan) == health);
  CHECK(plan.skipped.size() == 6);
}

TEST_CASE("A stop after any step: the re-plan finishes the job, restarting no node twice", "[vipctl][upgrade]") {
  for (const bool swap_back : {false, true}) {
    UpgradeOptions o = upgrade_to_new();
    o.swap_back = swap_back;
    Model fresh = seed_000();
    const ClusterStatus start = fresh.status();
    for (const auto& mm : start.members) {
      if (vipctl::role_of(mm.listed) == "master") o.original_masters.push_back(mm.listed.id);
    }
    const UpgradePlan first = vipctl::plan_upgrade(start, o);
    for (std::size_t stop = 0; stop <= first.steps.size(); ++stop) {
      CAPTURE(swap_back, stop);
      Model m = seed_000();
      for (std::size_t i = 0; i < stop; ++i) m.apply(first.steps[i], o);
      run(m, vipctl::plan_upgrade(m.status(), o), o);
      CHECK(m.restarts_of_slot_masters == 0);
      CHECK(m.restarts.size() == 6);
      CHECK(std::all_of(m.restarts.begin(), m.restarts.end(), [](const auto& r) { return r.second == 1; }));
      Model whole = seed_000();
      run(whole, first, o);
      CHECK(m.topology() == whole.topology());
    }
  }
}

TEST_CASE("No --expect-version, a state file: a stop after any step, the re-plan skips what it records restarted",
          "[vipctl][upgrade]") {
  // The same binary again (a rolling restart): versions tell nothing, the
  // record of restarted nodes does.
  for (const bool swap_back : {false, true}) {
    UpgradeOptions o;
    o.swap_back = swap_back;
    o.recorded = true;
    const ClusterStatus start = seed_000().status();
    o.original_masters = vipctl::original_masters_of(start);
    const UpgradePlan first = vipctl::plan_upgrade(start, o);
    REQUIRE(first.notes.size() == 1);
    CHECK(first.notes[0].starts_with("no --expect-version: only the nodes the state file records"));
    Model whole = seed_000();
    run(whole, first, o);
    for (std::size_t stop = 0; stop <= first.steps.size(); ++stop) {
      CAPTURE(swap_back, stop);
      Model m = seed_000();
      UpgradeOptions again = o;
      for (std::size_t i = 0; i < stop; ++i) {
        m.apply(first.steps[i], o);
        if (first.steps[i].kind == StepKind::restart) again.restarted.push_back(first.steps[i].node.id);
      }
      const UpgradePlan rest = vipctl::plan_upgrade(m.status(), again);
      CHECK(rest.skipped.size() == again.restarted.size());
      run(m, rest, again);
      CHECK(m.restarts_of_slot_masters == 0);
      CHECK(m.restarts.size() == 6);
      CHECK(std::all_of(m.restarts.begin(), m.restarts.end(), [](const auto& r) { return r.second == 1; }));
      CHECK(m.topology() == whole.topology());
    }
  }
}

TEST_CASE("With --expect-version the record of restarts is not read: the version is the truth",
          "[vipctl][upgrade]") {
  // A record left by an abandoned upgrade to another binary names a node
  // still below V: it is restarted all the same.
  Model m = seed_000();
  UpgradeOptions o = upgrade_to_new();
  o.recorded = true;
  o.restarted = {id_of("10.0.0.9:6480")};
  const UpgradePlan plan = vipctl::plan_upgrade(m.status(), o);
  CHECK(plan.skipped.empty());
  CHECK(std::count_if(plan.steps.begin(), plan.steps.end(), [&](const vipctl::UpgradeStep& s) {
          return s.kind == StepKind::restart && s.node.id == id_of("10.0.0.9:6480");
        }) == 1);
}

TEST_CASE("swap-back: each original master takes its slots back at the end", "[vipctl][upgrade]") {
  Model m = seed_000();
  UpgradeOptions o = upgrade_to_new();
  o.swap_back = true;
  const UpgradePlan plan = vipctl::plan_upgrade(m.status(), o);
  CHECK(outline(plan) == join({health, replica_phase, master_9, master_82, master_87,
                               {"failover 10.0.0.9:6479 <- 10.0.0.82:6480",
                                "wait-synced 10.0.0.82:6480 <- 10.0.0.9:6479",
                                "failover 10.0.0.82:6479 <- 10.0.0.87:6480",
                                "wait-synced 10.0.0.87:6480 <- 10.0.0.82:6479",
                                "failover 10.0.0.87:6479 <- 10.0.0.9:6480",
                                "wait-synced 10.0.0.9:6480 <- 10.0.0.87:6479"}}));
  CHECK(plan.steps.back().stage == vipctl::Stage::swap_back);
  const Lines before = m.topology();
  run(m, plan, o);
  CHECK(m.topology() == before);

  // A resumed run that lost the record of the original masters can only
  // take the view's masters as such: nothing to swap back.
  Model done = seed_000();
  UpgradeOptions no_record = upgrade_to_new();
  run(done, vipctl::plan_upgrade(done.status(), no_record), no_record);
  no_record.swap_back = true;
  CHECK(outline(vipctl::plan_upgrade(done.status(), no_record)) == health);
  UpgradeOptions recorded = no_record;
  for (const auto& n : seed_000().nodes) {
    if (n.master.empty()) recorded.original_masters.push_back(id_of(n.address()));
  }
  CHECK(vipctl::plan_upgrade(done.status(), recorded).steps.size() == 1 + 6);

  recorded.original_masters.push_back(id_of("10.0.0.1:6479"));
  CHECK(reasons(vipctl::plan_upgrade(done.status(), recorded)) == Lines{"original-master-unknown"});
}

TEST_CASE("A master without a replica: the upgrade is refused before any step", "[vipctl][upgrade]") {
  Model m = seed_000();
  m.nodes.erase(m.nodes.begin() + 3);  // 10.0.0.9:6480, the replica of 10.0.0.87:6479
  const UpgradePlan plan = vipctl::plan_upgrade(m.status(), upgrade_to_new());
  CHECK(reasons(plan) == Lines{"master-without-replica"});
  CHECK(plan.steps.empty());
  CHECK(plan.skipped.empty());

  // Its replica answers but its link is down: no failover target either.
  Model down = seed_000();
  ClusterStatus s = down.status();
  s.members[3].replication->master_link_up = false;
  CHECK(reasons(vipctl::plan_upgrade(s, upgrade_to_new())) == Lines{"replica-link-down", "master-without-replica"});
}

TEST_CASE("An unhealthy cluster or an unreachable node refuses the upgrade", "[vipctl][upgrade]") {
  ClusterStatus s = seed_000().status();
  s.info->state = "fail";
  CHECK(reasons(vipctl::plan_upgrade(s, upgrade_to_new())) == Lines{"cluster-state"});

  ClusterStatus gone = seed_000().status();
  gone.members[1].unreachable = redis::Error{redis::ErrorCode::unreachable, "10.0.0.87:6480: Connection refused"};
  gone.members[1].replication.reset();
  gone.members[1].version.reset();
  gone.members[1].view.reset();
  const auto r = reasons(vipctl::plan_upgrade(gone, upgrade_to_new()));
  CHECK(r == Lines{"node-unreachable", "master-without-replica"});

  ClusterStatus quiet = seed_000().status();
  quiet.members[2].version.reset();
  CHECK(reasons(vipctl::plan_upgrade(quiet, upgrade_to_new())) == Lines{"version-unknown"});
  CHECK_FALSE(vipctl::plan_upgrade(quiet, UpgradeOptions{}).refused());  // nothing to compare it to
}

TEST_CASE("A version mix: nodes at the expected version are skipped, masters among them stay", "[vipctl][upgrade]") {
  Model m = seed_000();
  m.at("10.0.0.87:6480").version = new_version;
  m.at("10.0.0.9:6479").version = new_version;  // a master already upgraded (by hand): no failover
  m.at("10.0.0.82:6480").version = redis::Version{7, 2, 0};
  const UpgradeOptions o = upgrade_to_new();
  const UpgradePlan plan = vipctl::plan_upgrade(m.status(), o);
  CHECK(outline(plan) == join({health,
                               {"restart 10.0.0.9:6480", "wait-synced 10.0.0.9:6480 <- 10.0.0.87:6479",
                                "restart 10.0.0.82:6480", "wait-synced 10.0.0.82:6480 <- 10.0.0.9:6479"},
                               master_82, master_87}));
  std::vector<std::string> skipped;
  for (const auto& s : plan.skipped) skipped.push_back(s.node.address);
  CHECK(skipped == Lines{"10.0.0.87:6480", "10.0.0.9:6479"});
  CHECK(plan.steps[3].description == "restart 10.0.0.82:6480 (replica of 10.0.0.9:6479, Redis 7.2.0)");
}

TEST_CASE("Without --expect-version every node is restarted, on every run", "[vipctl][upgrade]") {
  Model m = seed_000();
  for (auto& n : m.nodes) n.version = new_version;
  const UpgradePlan plan = vipctl::plan_upgrade(m.status(), UpgradeOptions{});
  CHECK(outline(plan) == join({health, replica_phase, master_9, master_82, master_87}));
  REQUIRE(plan.notes.size() == 1);
  CHECK(plan.notes[0].starts_with("no --expect-version: no node can be skipped"));
  CHECK(plan.steps[2].description == "wait for 10.0.0.9:6480: answers, linked to 10.0.0.87:6479 with its offset "
                                     "caught up, cluster healthy");
}

TEST_CASE("The failover target: linked, smallest lag, then address", "[vipctl][upgrade]") {
  Model m = seed_000();
  m.nodes.push_back({"10.0.0.5", 6481, "10.0.0.9:6479", {}, new_version});
  m.nodes.push_back({"10.0.0.6", 6481, "10.0.0.9:6479", {}, new_version});
  ClusterStatus s = m.status();
  // Equal lag: the smaller address, 10.0.0.5:6481, over 10.0.0.82:6480.
  UpgradePlan plan = vipctl::plan_upgrade(s, upgrade_to_new());
  auto target = [](const UpgradePlan& p, const std::string& master) {
    for (const auto& step : p.steps) {
      if (step.kind == StepKind::failover && step.peer.address == master) return step.node.address;
    }
    return std::string();
  };
  CHECK(target(plan, "10.0.0.9:6479") == "10.0.0.5:6481");
  s.members[6].replication->slave_repl_offset = 900;  // 10.0.0.5:6481 lags 100 bytes
  CHECK(target(vipctl::plan_upgrade(s, upgrade_to_new()), "10.0.0.9:6479") == "10.0.0.6:6481");
  s.members[7].replication->master_sync_in_progress = true;  // and 10.0.0.6:6481 is in a full sync
  CHECK(reasons(vipctl::plan_upgrade(s, upgrade_to_new())) == Lines{"replica-syncing"});
}

TEST_CASE("A master without slots is restarted as a replica is", "[vipctl][upgrade]") {
  Model m = seed_000();
  m.nodes.push_back({"10.0.0.5", 6479, "", {}, old_version});
  const UpgradePlan plan = vipctl::plan_upgrade(m.status(), upgrade_to_new());
  CHECK(outline(plan)[1] == "restart 10.0.0.5:6479");
  CHECK(outline(plan)[2] == "wait-synced 10.0.0.5:6479");
  CHECK(plan.steps[1].description == "restart 10.0.0.5:6479 (master without slots, Redis 7.4.1)");
  CHECK(plan.steps[2].description == "wait for 10.0.0.5:6479: answers, runs 7.4.2, is a master, cluster healthy");
}

TEST_CASE("check_synced: what a wait still misses", "[vipctl][upgrade]") {
  ClusterStatus s = seed_000().status();
  const std::string replica = id_of("10.0.0.9:6480"), master = id_of("10.0.0.87:6479");
  auto reasons_of = [](const std::vector<vipctl::Finding>& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings) out.push_back(f.reason);
    return out;
  };
  CHECK(reasons_of(vipctl::check_synced(s, replica, master, old_version, 0)).empty());
  const auto wrong = vipctl::check_synced(s, replica, master, new_version, 0);
  CHECK(reasons_of(wrong) == Lines{"version-unexpected"});
  CHECK(wrong[0].detail == "10.0.0.9:6480 runs Redis 7.4.1, expected 7.4.2");
  CHECK(reasons_of(vipctl::check_synced(s, replica, id_of("10.0.0.82:6479"), std::nullopt, 0)) ==
        Lines{"not-replica-of"});
  CHECK(reasons_of(vipctl::check_synced(s, master, "", std::nullopt, 0)).empty());
  CHECK(reasons_of(vipctl::check_synced(s, replica, "", std::nullopt, 0)) == Lines{"not-master"});

  s.members[3].replication->slave_repl_offset = 990;
  const auto behind = vipctl::check_synced(s, replica, master, std::nullopt, 0);
  CHECK(reasons_of(behind) == Lines{"replica-behind"});
  CHECK(behind[0].detail == "10.0.0.9:6480 is 10 bytes behind 10.0.0.87:6479");
  CHECK(vipctl::check_synced(s, replica, master, std::nullopt, 10).empty());

  // The replica's restart broke its bus links; one master has not
  // reconnected yet: a failover sent now could lose that master's vote.
  for (auto& n : *s.members[0].view) {
    if (n.id == replica) n.link_connected = false;
  }
  const auto unlinked = vipctl::check_synced(s, replica, master, std::nullopt, 10);
  CHECK(reasons_of(unlinked) == Lines{"bus-link-down"});
  CHECK(unlinked[0].detail == "master 10.0.0.87:6479 (10008764) has no cluster-bus link to 10.0.0.9:6480 (10009648)");
  for (auto& n : *s.members[0].view) n.link_connected = true;

  // Versions differ mid-upgrade: not a finding for the upgrade.
  s.members[3].replication->slave_repl_offset = 1000;
  s.members[3].version = new_version;
  CHECK(vipctl::check_synced(s, replica, master, new_version, 0).empty());
  CHECK_FALSE(vipctl::assess_cluster(s).healthy);
}

TEST_CASE("address_less: IPv4 numerically, then names, then port", "[vipctl][upgrade]") {
  CHECK(vipctl::address_less("10.0.0.9:6479", "10.0.0.82:6479"));
  CHECK_FALSE(vipctl::address_less("10.0.0.82:6479", "10.0.0.9:6479"));
  CHECK(vipctl::address_less("10.0.0.9:6479", "10.0.0.9:6480"));
  CHECK(vipctl::address_less("10.0.0.9:6480", "redis-a:6379"));
  CHECK(vipctl::address_less("redis-a:6379", "redis-b:6379"));
  CHECK(vipctl::address_less("10.0.0.9:6479", "10.0.0.9.example:6379"));
  CHECK_FALSE(vipctl::address_less("10.0.0.9:6479", "10.0.0.9:6479"));
}

TEST_CASE("The dry-run text and JSON of a plan", "[vipctl][upgrade]") {
  Model m = seed_000();
  m.at("10.0.0.87:6480").version = new_version;
  const UpgradePlan plan = vipctl::plan_upgrade(m.status(), upgrade_to_new());
  const std::string text = vipctl::upgrade_plan_text(plan);
  CHECK(text.starts_with("upgrade plan: 14 steps\nbefore any restart:\n"
                         "   1. check the cluster via 10.0.0.87:6479 is healthy (Redis versions may differ)\n"
                         "replicas, one at a time:\n"
                         "   2. restart 10.0.0.9:6480 (replica of 10.0.0.87:6479, Redis 7.4.1)\n"));
  CHECK(text.find("masters: fail over, restart, rejoin:\n   6. fail 10.0.0.9:6479 over") != std::string::npos);
  CHECK(text.ends_with("skipped: 10.0.0.87:6480 (already at 7.4.2)\n"));

  const auto j = vipctl::upgrade_plan_json(plan);
  CHECK(j["refused"] == false);
  CHECK(j["steps"].size() == 14);
  CHECK(j["steps"][0]["kind"] == "check-health");
  CHECK(j["steps"][0]["node"]["address"] == "10.0.0.87:6479");
  CHECK(j["steps"][5]["kind"] == "failover");
  CHECK(j["steps"][5]["stage"] == "masters");
  CHECK(j["steps"][5]["node"]["address"] == "10.0.0.82:6480");
  CHECK(j["steps"][5]["peer"]["id"] == id_of("10.0.0.9:6479"));
  CHECK(j["steps"][1]["peer"].is_null());
  CHECK(j["skipped"][0]["reason"] == "already at 7.4.2");

  Model lonely = seed_000();
  lonely.nodes.erase(lonely.nodes.begin() + 3);
  const UpgradePlan refused = vipctl::plan_upgrade(lonely.status(), upgrade_to_new());
  CHECK(vipctl::upgrade_plan_text(refused) ==
        "upgrade refused:\n"
        "  ! master-without-replica: 10.0.0.87:6479 (10008764) has no linked replica (serves slots 0-5460)\n");
  CHECK(vipctl::upgrade_plan_json(refused)["refusals"][0]["reason"] == "master-without-replica");
}

TEST_CASE("A node in handshake without address refuses the upgrade", "[vipctl][upgrade]") {
  ClusterStatus s = seed_000().status();
  ClusterMember joining;
  joining.listed.id = id_of("10.0.0.5:6479");
  joining.listed.flags = {"handshake", "noaddr"};
  joining.address = ":0";
  joining.unreachable = redis::Error{redis::ErrorCode::unreachable, ":0: no address"};
  for (auto& m : s.members) m.view->push_back(joining.listed);  // every node sees it join
  s.members.push_back(joining);
  const UpgradePlan plan = vipctl::plan_upgrade(s, upgrade_to_new());
  CHECK(reasons(plan) == Lines{"node-unreachable", "node-role-unknown", "node-without-address"});
  CHECK(plan.refusals[1].detail == ":0 is neither master nor replica (flags handshake,noaddr)");
  CHECK(plan.refusals[2].detail == id_of("10.0.0.5:6479") + " has no address: the restart command cannot name it");
}

TEST_CASE("A node that answers at its address under another id: node-id-changed, else nothing",
          "[vipctl][upgrade]") {
  const vipctl::NodeRef node{id_of("10.0.0.9:6480"), "10.0.0.9:6480"};
  CHECK_FALSE(vipctl::identity_finding(node, node.id));
  CHECK_FALSE(vipctl::identity_finding(node, ""));
  const auto f = vipctl::identity_finding(node, id_of("10.0.0.1:1"));
  REQUIRE(f);
  CHECK(f->reason == "node-id-changed");
  CHECK(f->detail.starts_with("10.0.0.9:6480 answers as node " + id_of("10.0.0.1:1") + ", not " + node.id));
}
