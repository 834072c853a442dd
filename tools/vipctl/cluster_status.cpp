#include "vipctl/cluster_status.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <map>

namespace vipkit::vipctl {

namespace {

std::string short_id(const std::string& id) { return id.substr(0, 8); }

std::string who(const ClusterMember& m) { return fmt::format("{} ({})", m.address, short_id(m.listed.id)); }

const ClusterMember* member_by_id(const ClusterStatus& s, const std::string& id) {
  for (const auto& m : s.members) {
    if (m.listed.id == id) return &m;
  }
  return nullptr;
}

// Slot numbers to ranges, a handful at most: a finding is one line.
std::string ranges_text(const std::vector<int>& slots) {
  std::vector<redis::SlotRange> ranges;
  for (const int slot : slots) {
    if (!ranges.empty() && ranges.back().last + 1 == slot) {
      ranges.back().last = slot;
    } else {
      ranges.push_back({slot, slot});
    }
  }
  constexpr std::size_t shown = 5;
  const bool more = ranges.size() > shown;
  if (more) ranges.resize(shown);
  return redis::slots_text(ranges) + (more ? " ..." : "");
}

std::string seed_reason(const redis::Error& e) {
  switch (e.code) {
    case redis::ErrorCode::auth_failed: return "auth-failed";
    case redis::ErrorCode::reply_error:
    case redis::ErrorCode::unknown_command: return "not-a-cluster";  // "ERR This instance has cluster support disabled"
    case redis::ErrorCode::protocol: return "reply-invalid";
    default: return "node-unreachable";
  }
}

void check_slots(const ClusterStatus& s, std::vector<Finding>& out) {
  // Only masters serve slots; a replica's line never carries ranges.
  std::array<int, redis::cluster_slots> owners{};
  for (const auto& m : s.members) {
    for (const auto& r : m.listed.slots) {
      for (int slot = r.first; slot <= r.last; ++slot) ++owners[static_cast<std::size_t>(slot)];
    }
  }
  std::vector<int> uncovered, shared;
  for (int slot = 0; slot < redis::cluster_slots; ++slot) {
    const int n = owners[static_cast<std::size_t>(slot)];
    if (n == 0) uncovered.push_back(slot);
    if (n > 1) shared.push_back(slot);
  }
  if (!uncovered.empty()) {
    out.push_back({"slots-uncovered", fmt::format("{} of {} slots served by no master: {}", uncovered.size(),
                                                  redis::cluster_slots, ranges_text(uncovered))});
  }
  if (!shared.empty()) {
    out.push_back({"slots-overlap",
                   fmt::format("{} slots claimed by more than one master: {}", shared.size(), ranges_text(shared))});
  }
}

// A node flagged fail (the majority of masters agreed) or fail? (one node
// lost contact for cluster-node-timeout) in any node's view, the seed's
// included.
void check_flags(const ClusterStatus& s, std::vector<Finding>& out) {
  for (const auto& m : s.members) {
    std::vector<std::string> fail_by, pfail_by;
    for (const auto& observer : s.members) {
      if (!observer.view) continue;
      for (const auto& seen : *observer.view) {
        if (seen.id != m.listed.id) continue;
        if (seen.is_failed()) fail_by.push_back(observer.address);
        if (seen.is_pfail()) pfail_by.push_back(observer.address);
      }
    }
    // The seed's own line counts even when its CLUSTER NODES is the only view.
    if (fail_by.empty() && m.listed.is_failed()) fail_by.push_back(s.seed);
    if (pfail_by.empty() && m.listed.is_pfail()) pfail_by.push_back(s.seed);
    if (!fail_by.empty()) {
      out.push_back({"node-fail", fmt::format("{} is flagged fail by {}", who(m), fmt::join(fail_by, ", "))});
    }
    if (!pfail_by.empty()) {
      out.push_back({"node-pfail", fmt::format("{} is flagged fail? by {}", who(m), fmt::join(pfail_by, ", "))});
    }
  }
}

// Every master serving slots needs one replica able to take over without a
// full sync: listed as its replica, answering, linked, not syncing.
void check_replicas(const ClusterStatus& s, std::vector<Finding>& out) {
  for (const auto& master : s.members) {
    if (!master.listed.is_master() || master.listed.slots.empty()) continue;
    bool covered = false;
    for (const auto& r : s.members) {
      if (!r.listed.is_replica() || r.listed.master_id != master.listed.id) continue;
      if (r.unreachable || r.listed.is_failed() || r.listed.is_pfail()) continue;  // reported by the checks above
      if (!r.replication) continue;                                                 // reply-invalid
      const auto& info = *r.replication;
      if (info.loading) continue;  // node-loading
      if (info.role != redis::Role::replica || !info.master_link_up) {
        out.push_back({"replica-link-down",
                       fmt::format("{}: master_link_status is down (replica of {})", who(r), master.address)});
      } else if (info.master_sync_in_progress) {
        out.push_back({"replica-syncing", fmt::format("{}: full sync from {} running", who(r), master.address)});
      } else {
        covered = true;
      }
    }
    if (!covered) {
      out.push_back({"master-without-replica",
                     fmt::format("{} has no linked replica (serves slots {})", who(master),
                                redis::slots_text(master.listed.slots))});
    }
  }
}

// What the nodes must agree on: who is master, whose replica, which slots.
// Flags (myself, fail?) and link states are each node's own view.
struct Placement {
  std::string role;
  std::string master_id;
  std::vector<redis::SlotRange> slots;
  bool operator==(const Placement&) const = default;
};
using Topology = std::map<std::string, Placement>;

Topology topology_of(const std::vector<redis::ClusterNode>& nodes) {
  Topology t;
  for (const auto& n : nodes) t[n.id] = {role_of(n), n.master_id, n.slots};
  return t;
}

std::string placement_text(const Placement& p) {
  if (p.role == "replica") return "replica of " + short_id(p.master_id);
  return p.slots.empty() ? p.role + " without slots" : fmt::format("{} of {}", p.role, redis::slots_text(p.slots));
}

// The first difference, as a phrase: "lists 5 nodes, 127.0.0.1:7000 lists 6".
std::string first_difference(const Topology& mine, const Topology& seed, const std::string& seed_name) {
  for (const auto& [id, p] : seed) {
    const auto it = mine.find(id);
    if (it == mine.end()) {
      return fmt::format("does not know {}, which {} lists as {}", short_id(id), seed_name, placement_text(p));
    }
    if (!(it->second == p)) {
      return fmt::format("sees {} as {}, {} as {}", short_id(id), placement_text(it->second), seed_name,
                         placement_text(p));
    }
  }
  for (const auto& [id, p] : mine) {
    if (!seed.contains(id)) return fmt::format("knows {} ({}), {} does not", short_id(id), placement_text(p), seed_name);
  }
  return "";
}

void check_agreement(const ClusterStatus& s, std::vector<Finding>& out) {
  std::vector<redis::ClusterNode> listed;
  for (const auto& m : s.members) listed.push_back(m.listed);
  const Topology seed = topology_of(listed);
  for (const auto& m : s.members) {
    if (!m.view) continue;
    const std::string diff = first_difference(topology_of(*m.view), seed, s.seed);
    if (!diff.empty()) out.push_back({"topology-disagreement", fmt::format("{} {}", who(m), diff)});
  }
}

void check_versions(const ClusterStatus& s, std::vector<Finding>& out) {
  std::map<redis::Version, std::vector<std::string>> by_version;
  for (const auto& m : s.members) {
    if (m.version) by_version[*m.version].push_back(m.address);
  }
  if (by_version.size() < 2) return;
  std::vector<std::string> groups;
  for (const auto& [version, addresses] : by_version) {
    groups.push_back(fmt::format("{} on {}", redis::to_text(version), fmt::join(addresses, ", ")));
  }
  out.push_back({"versions-differ",
                 fmt::format("Redis versions differ, an upgrade in progress: {}", fmt::join(groups, "; "))});
}

}  // namespace

std::string role_of(const redis::ClusterNode& node) {
  if (node.is_master()) return "master";
  if (node.is_replica()) return "replica";
  return fmt::format("{}", fmt::join(node.flags, ","));
}

std::optional<long long> replication_offset(const ClusterMember& m) {
  if (!m.replication) return std::nullopt;
  return m.replication->role == redis::Role::replica ? m.replication->slave_repl_offset
                                                     : m.replication->master_repl_offset;
}

const ClusterMember* find_member(const ClusterStatus& s, const std::string& id) {
  const auto it = std::find_if(s.members.begin(), s.members.end(),
                               [&](const ClusterMember& m) { return m.listed.id == id; });
  return it == s.members.end() ? nullptr : &*it;
}

const redis::ClusterNode* own_line(const ClusterMember& m) {
  if (!m.view) return nullptr;
  const auto it = std::find_if(m.view->begin(), m.view->end(), [](const redis::ClusterNode& n) { return n.is_myself(); });
  return it == m.view->end() ? nullptr : &*it;
}

std::optional<long long> replica_lag(const ClusterStatus& s, const ClusterMember& replica) {
  if (!replica.replication || replica.replication->role != redis::Role::replica) return std::nullopt;
  const ClusterMember* master = member_by_id(s, replica.listed.master_id);
  if (master == nullptr || !master->replication || master->replication->role != redis::Role::master) {
    return std::nullopt;
  }
  // A replica in sync reports its master's replication id as its own.
  if (master->replication->master_replid != replica.replication->master_replid) return std::nullopt;
  return std::max(0LL, master->replication->master_repl_offset - replica.replication->slave_repl_offset);
}

ClusterHealth assess_cluster(const ClusterStatus& s) {
  ClusterHealth h;
  if (s.seed_error) {
    // Connection errors name the endpoint already; reply errors do not.
    const std::string& text = s.seed_error->message;
    h.findings.push_back({seed_reason(*s.seed_error), text.starts_with(s.seed) ? text : s.seed + ": " + text});
    return h;
  }
  if (s.info && s.info->state != "ok") {
    h.findings.push_back({"cluster-state", fmt::format("cluster_state:{} on {}", s.info->state, s.seed)});
  }
  for (const auto& m : s.members) {
    if (m.unreachable) {
      const std::string& text = m.unreachable->message;
      h.findings.push_back({"node-unreachable", text.starts_with(m.address) ? text : who(m) + ": " + text});
    }
    for (const auto& e : m.reply_errors) h.findings.push_back({"reply-invalid", who(m) + ": " + e});
    if (m.replication && m.replication->loading) {
      h.findings.push_back({"node-loading", who(m) + " is loading its dataset"});
    }
  }
  check_slots(s, h.findings);
  check_flags(s, h.findings);
  check_replicas(s, h.findings);
  check_agreement(s, h.findings);
  check_versions(s, h.findings);
  h.healthy = h.findings.empty();
  return h;
}

}  // namespace vipkit::vipctl
