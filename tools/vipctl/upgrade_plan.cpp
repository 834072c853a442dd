#include "vipctl/upgrade_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <map>

#include "vipctl/cluster_bus.hpp"

namespace vipkit::vipctl {

namespace {

NodeRef ref_of(const ClusterMember& m) { return {m.listed.id, m.address}; }

// A master that serves slots: the only kind whose restart needs a failover.
// A master without slots (a spare, or one emptied by a reshard) is restarted
// like a replica: nobody is served by it.
bool serves_slots(const ClusterMember& m) { return m.listed.is_master() && !m.listed.slots.empty(); }

bool at_version(const ClusterMember& m, const UpgradeOptions& o) {
  return o.expect_version && m.version && *m.version == *o.expect_version;
}

// Only without --expect-version: with it, the version is the truth, and a
// record left by an abandoned upgrade to another binary cannot keep a node
// from being upgraded.
bool restarted_already(const ClusterMember& m, const UpgradeOptions& o) {
  return !o.expect_version && std::find(o.restarted.begin(), o.restarted.end(), m.listed.id) != o.restarted.end();
}

std::string version_text(const std::optional<redis::Version>& v) { return v ? redis::to_text(*v) : "unknown"; }

std::vector<const ClusterMember*> sorted_by_address(std::vector<const ClusterMember*> members) {
  std::stable_sort(members.begin(), members.end(), [](const ClusterMember* a, const ClusterMember* b) {
    return address_less(a->address, b->address);
  });
  return members;
}

// A replica able to take over right now: answering, listed as such by the
// seed and by itself, linked, no full sync, not loading, suspected by nobody
// the seed knows of.
bool can_take_over(const ClusterMember& r) {
  if (r.unreachable || !r.replication || r.listed.is_failed() || r.listed.is_pfail()) return false;
  const auto& info = *r.replication;
  return info.role == redis::Role::replica && info.master_link_up && !info.master_sync_in_progress && !info.loading;
}

// The replica a master is failed over to: linked, smallest lag (unknown lag
// last), then address — the same input gives the same choice.
const ClusterMember* failover_target(const ClusterStatus& s, const ClusterMember& master) {
  const ClusterMember* best = nullptr;
  long long best_lag = 0;
  constexpr long long unknown_lag = std::numeric_limits<long long>::max();
  for (const auto& r : s.members) {
    if (!r.listed.is_replica() || r.listed.master_id != master.listed.id || !can_take_over(r)) continue;
    const long long lag = replica_lag(s, r).value_or(unknown_lag);
    if (best == nullptr || lag < best_lag || (lag == best_lag && address_less(r.address, best->address))) {
      best = &r;
      best_lag = lag;
    }
  }
  return best;
}

std::vector<Finding> refusals_of(const ClusterStatus& s, const UpgradeOptions& o) {
  std::vector<Finding> out = upgrade_health(s);
  for (const auto& m : s.members) {
    if (!m.listed.is_master() && !m.listed.is_replica()) {
      out.push_back({"node-role-unknown", fmt::format("{} is neither master nor replica (flags {})", m.address,
                                                      role_of(m.listed))});
    }
    if (m.listed.is_replica() && find_member(s, m.listed.master_id) == nullptr) {
      out.push_back({"master-unknown", fmt::format("{} replicates {}, which the seed does not list", m.address,
                                                   m.listed.master_id)});
    }
    if (m.listed.host.empty()) {
      out.push_back({"node-without-address", fmt::format("{} has no address: the restart command cannot name it",
                                                         m.listed.id)});
    }
    // Without its version a node can be neither skipped nor checked after
    // its restart. Unreachable and unreadable nodes are reported above.
    if (o.expect_version && !m.version && !m.unreachable && m.reply_errors.empty()) {
      out.push_back({"version-unknown", fmt::format("{} did not report its Redis version", m.address)});
    }
  }
  for (const auto& id : o.original_masters) {
    if (find_member(s, id) == nullptr) {
      out.push_back({"original-master-unknown", fmt::format("original master {} is not in the cluster", id)});
    }
  }
  return out;
}

std::string follows_text(const ClusterMember& m, const ClusterStatus& s) {
  const ClusterMember* master = find_member(s, m.listed.master_id);
  return master != nullptr ? "replica of " + master->address : "master without slots";
}

std::string wait_text(const NodeRef& node, const NodeRef& master, const UpgradeOptions& o) {
  const std::string version = o.expect_version ? ", runs " + redis::to_text(*o.expect_version) : "";
  const std::string link =
      master.id.empty() ? ", is a master" : fmt::format(", linked to {} with its offset caught up", master.address);
  return fmt::format("wait for {}: answers{}{}, cluster healthy", node.address, version, link);
}

class Planner {
 public:
  Planner(const ClusterStatus& s, const UpgradeOptions& o) : s_(s), o_(o) {
    for (const auto& m : s.members) {
      if (m.listed.is_replica()) master_of_[m.listed.id] = m.listed.master_id;
    }
  }

  void replica(const ClusterMember& m) {
    const NodeRef peer = m.listed.is_replica() ? ref_of(*find_member(s_, m.listed.master_id)) : NodeRef{};
    add(StepKind::restart, Stage::replicas, ref_of(m), {},
        fmt::format("restart {} ({}, Redis {})", m.address, follows_text(m, s_), version_text(m.version)));
    add(StepKind::wait_synced, Stage::replicas, ref_of(m), peer, wait_text(ref_of(m), peer, o_));
  }

  void master(const ClusterMember& m, const ClusterMember& target) {
    add(StepKind::failover, Stage::masters, ref_of(target), ref_of(m),
        fmt::format("fail {} over to its replica {} (CLUSTER FAILOVER on {}): it serves slots {}", m.address,
                    target.address, target.address, redis::slots_text(m.listed.slots)));
    add(StepKind::restart, Stage::masters, ref_of(m), {},
        fmt::format("restart {} (now replica of {}, Redis {})", m.address, target.address, version_text(m.version)));
    add(StepKind::wait_synced, Stage::masters, ref_of(m), ref_of(target), wait_text(ref_of(m), ref_of(target), o_));
    // Redis moves the master's other replicas to the new master too.
    for (auto& [replica_id, master_id] : master_of_) {
      if (master_id == m.listed.id) master_id = target.listed.id;
    }
    master_of_.erase(target.listed.id);
    master_of_[m.listed.id] = target.listed.id;
  }

  // Each original master that ends up a replica takes its slots back from
  // the master it follows then — unless that one is an original master too
  // (its slots are not the ones this node gave away).
  void swap_back(const std::vector<std::string>& originals) {
    std::vector<const ClusterMember*> back;
    for (const auto& id : originals) {
      const auto it = master_of_.find(id);
      if (it == master_of_.end()) continue;  // a master already
      if (std::find(originals.begin(), originals.end(), it->second) != originals.end()) continue;
      back.push_back(find_member(s_, id));
    }
    for (const ClusterMember* o : sorted_by_address(back)) {
      const ClusterMember* holder = find_member(s_, master_of_.at(o->listed.id));
      add(StepKind::failover, Stage::swap_back, ref_of(*o), ref_of(*holder),
          fmt::format("fail back: {} takes its slots back from {} (CLUSTER FAILOVER on {})", o->address,
                      holder->address, o->address));
      add(StepKind::wait_synced, Stage::swap_back, ref_of(*holder), ref_of(*o),
          wait_text(ref_of(*holder), ref_of(*o), o_));
    }
  }

  void add(StepKind kind, Stage stage, NodeRef node, NodeRef peer, std::string description) {
    steps_.push_back({kind, stage, std::move(node), std::move(peer), std::move(description)});
  }

  std::vector<UpgradeStep> take() { return std::move(steps_); }

 private:
  const ClusterStatus& s_;
  const UpgradeOptions& o_;
  std::map<std::string, std::string> master_of_;  // replica id -> master id, as the steps so far leave it
  std::vector<UpgradeStep> steps_;
};

}  // namespace

std::string_view to_token(StepKind kind) {
  switch (kind) {
    case StepKind::check_health: return "check-health";
    case StepKind::backup: return "backup";
    case StepKind::restart: return "restart";
    case StepKind::wait_synced: return "wait-synced";
    case StepKind::failover: return "failover";
  }
  return "unknown";
}

std::string_view to_token(Stage stage) {
  switch (stage) {
    case Stage::preflight: return "preflight";
    case Stage::replicas: return "replicas";
    case Stage::masters: return "masters";
    case Stage::swap_back: return "swap-back";
  }
  return "unknown";
}

bool address_less(const std::string& a, const std::string& b) {
  // "host:port" -> host, port; IPv4 host -> its four numbers.
  struct Key {
    bool ipv4 = false;
    std::array<int, 4> octets{};
    std::string host;
    int port = 0;
  };
  const auto key_of = [](const std::string& address) {
    Key k;
    const auto colon = address.rfind(':');
    k.host = address.substr(0, colon == std::string::npos ? address.size() : colon);
    if (colon != std::string::npos) {
      std::from_chars(address.data() + colon + 1, address.data() + address.size(), k.port);
    }
    const char* p = k.host.data();
    const char* const end = p + k.host.size();
    for (std::size_t i = 0; i < 4; ++i) {
      const auto r = std::from_chars(p, end, k.octets[i]);
      if (r.ec != std::errc{} || k.octets[i] > 255) return k;
      p = r.ptr;
      if (i < 3 && (p == end || *p++ != '.')) return k;
    }
    k.ipv4 = p == end;
    return k;
  };
  const Key ka = key_of(a), kb = key_of(b);
  if (ka.ipv4 != kb.ipv4) return ka.ipv4;  // IPv4 addresses first
  if (ka.ipv4 && ka.octets != kb.octets) return ka.octets < kb.octets;
  if (!ka.ipv4 && ka.host != kb.host) return ka.host < kb.host;
  return ka.port < kb.port;
}

std::vector<Finding> upgrade_health(const ClusterStatus& status) {
  std::vector<Finding> out;
  for (auto& f : assess_cluster(status).findings) {
    if (f.reason != "versions-differ") out.push_back(std::move(f));
  }
  return out;
}

UpgradePlan plan_upgrade(const ClusterStatus& s, const UpgradeOptions& o) {
  UpgradePlan plan;
  if (!o.expect_version && !o.recorded) {
    plan.notes.push_back(
        "no --expect-version: no node can be skipped, so every node is restarted, and a re-run after a stop "
        "restarts every node again; give --expect-version or --state-file to resume where a run stopped");
  } else if (!o.expect_version) {
    plan.notes.push_back(
        "no --expect-version: only the nodes the state file records as restarted by this upgrade are skipped");
  }
  plan.refusals = refusals_of(s, o);
  if (plan.refused()) return plan;

  std::vector<const ClusterMember*> replicas, masters, slot_masters;
  for (const auto& m : s.members) {
    if (serves_slots(m)) slot_masters.push_back(&m);
    if (at_version(m, o)) {
      plan.skipped.push_back({ref_of(m), "already at " + redis::to_text(*o.expect_version)});
    } else if (restarted_already(m, o)) {
      plan.skipped.push_back({ref_of(m), "restarted by this upgrade already"});
    } else {
      (serves_slots(m) ? masters : replicas).push_back(&m);
    }
  }
  // Every failover target is chosen before anything runs: a master none of
  // whose replicas can take over refuses the whole upgrade, not its turn.
  std::vector<std::pair<const ClusterMember*, const ClusterMember*>> failovers;
  for (const ClusterMember* m : sorted_by_address(masters)) {
    const ClusterMember* target = failover_target(s, *m);
    if (target == nullptr) {
      plan.refusals.push_back(
          {"no-failover-target",
           fmt::format("{} has no linked replica to fail over to: restarting it would leave slots {} without a master",
                       m->address, redis::slots_text(m->listed.slots))});
    }
    failovers.emplace_back(m, target);
  }
  if (plan.refused()) {
    plan.skipped.clear();
    return plan;
  }

  Planner planner(s, o);
  planner.add(StepKind::check_health, Stage::preflight, {"", s.seed}, {},
              fmt::format("check the cluster via {} is healthy (Redis versions may differ)", s.seed));
  if (o.backup && !(replicas.empty() && masters.empty())) {
    for (const ClusterMember* m : sorted_by_address(slot_masters)) {
      planner.add(StepKind::backup, Stage::preflight, ref_of(*m), {},
                  fmt::format("back up {} (BGSAVE, copy the RDB with its replid and offset)", m->address));
    }
  }
  for (const ClusterMember* r : sorted_by_address(replicas)) planner.replica(*r);
  for (const auto& f : failovers) planner.master(*f.first, *f.second);
  if (o.swap_back) {
    std::vector<std::string> originals = o.original_masters;
    if (originals.empty()) {
      for (const ClusterMember* m : slot_masters) originals.push_back(m->listed.id);
    }
    planner.swap_back(originals);
  }
  plan.steps = planner.take();
  return plan;
}

std::optional<Finding> identity_finding(const NodeRef& node, const std::string& answered_id) {
  if (answered_id.empty() || answered_id == node.id) return std::nullopt;
  return Finding{"node-id-changed",
                 fmt::format("{} answers as node {}, not {}: restarted without its nodes.conf, it is a new node the "
                             "cluster does not know; keep nodes.conf across the restart",
                             node.address, answered_id, node.id)};
}

std::vector<Finding> check_synced(const ClusterStatus& s, const std::string& node_id, const std::string& master_id,
                                  const std::optional<redis::Version>& expect_version, long long max_lag_bytes) {
  std::vector<Finding> out = upgrade_health(s);
  // A failover may follow this wait within milliseconds; its election needs
  // the bus links a restart broke (cluster_bus.hpp).
  for (auto& f : bus_link_findings(s, node_id)) out.push_back(std::move(f));
  const ClusterMember* m = find_member(s, node_id);
  if (m == nullptr) {
    out.push_back({"node-missing", fmt::format("{} is not in the cluster", node_id)});
    return out;
  }
  if (m->unreachable) return out;  // node-unreachable is among the health findings
  if (expect_version && m->version != expect_version) {
    out.push_back({"version-unexpected", fmt::format("{} runs Redis {}, expected {}", m->address,
                                                     version_text(m->version), redis::to_text(*expect_version))});
  }
  if (master_id.empty()) {
    if (!m->listed.is_master()) out.push_back({"not-master", fmt::format("{} is not a master", m->address)});
    return out;
  }
  const ClusterMember* master = find_member(s, master_id);
  const std::string master_name = master != nullptr ? master->address : master_id;
  if (!m->listed.is_replica() || m->listed.master_id != master_id) {
    out.push_back({"not-replica-of", fmt::format("{} is {}, not yet a replica of {}", m->address,
                                                 m->listed.is_replica() ? follows_text(*m, s) : role_of(m->listed),
                                                 master_name)});
    return out;
  }
  if (!m->replication || m->replication->role != redis::Role::replica || !m->replication->master_link_up) {
    out.push_back({"replica-link-down", fmt::format("{}: link to {} is not up", m->address, master_name)});
    return out;
  }
  const auto lag = replica_lag(s, *m);
  if (!lag || *lag > max_lag_bytes) {
    out.push_back({"replica-behind", lag ? fmt::format("{} is {} bytes behind {}", m->address, *lag, master_name)
                                         : fmt::format("{}: offset not comparable with {}'s", m->address, master_name)});
  }
  return out;
}

}  // namespace vipkit::vipctl
