#include "vipctl/cluster_failover.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "vipctl/cluster_bus.hpp"

namespace vipkit::vipctl {

namespace {

std::string label(const std::string& address, const std::string& id) {
  return fmt::format("{} ({})", address, id.substr(0, 8));
}

const redis::ClusterNode* line_for(const std::vector<redis::ClusterNode>& view, const std::string& id) {
  const auto it = std::find_if(view.begin(), view.end(), [&](const redis::ClusterNode& n) { return n.id == id; });
  return it == view.end() ? nullptr : &*it;
}

Check pass(std::string name, std::string detail) { return {std::move(name), CheckStatus::pass, std::move(detail)}; }
Check fail(std::string name, std::string detail) { return {std::move(name), CheckStatus::fail, std::move(detail)}; }

// The replica's own state: role, link, lag, sync. Appends to `out`; returns
// the plan when the node is a replica of a listed master.
std::optional<FailoverPlan> check_replica(const ClusterStatus& s, const ClusterMember& r, long long max_lag,
                                          std::vector<Check>& out) {
  const std::string me = label(r.address, r.listed.id);
  if (!r.listed.is_replica()) {
    const std::string slots = redis::slots_text(r.listed.slots);
    out.push_back(fail("is-replica", fmt::format("{} is a {}{}, not a replica: give one of its replicas", me,
                                                 role_of(r.listed), slots.empty() ? "" : " serving slots " + slots)));
    return std::nullopt;
  }
  const ClusterMember* master = find_member(s, r.listed.master_id);
  if (master == nullptr) {
    out.push_back(fail("is-replica", fmt::format("{} replicates {}, which its CLUSTER NODES does not list", me,
                                                 r.listed.master_id.substr(0, 8))));
    return std::nullopt;
  }
  const std::string master_name = label(master->address, master->listed.id);
  out.push_back(pass("is-replica", fmt::format("{} is a replica of {}", me, master_name)));
  if (!r.replication) {
    out.push_back(fail("master-link", me + ": INFO replication unusable"));
    return FailoverPlan{r.listed.id, r.address, master->listed.id, master->address, master->listed.slots};
  }
  const redis::ReplicationInfo& info = *r.replication;
  if (info.role == redis::Role::replica && info.master_link_up) {
    out.push_back(pass("master-link", "master_link_status:up"));
  } else {
    out.push_back(fail("master-link", fmt::format("{}: master_link_status is down", me)));
  }
  if (info.master_sync_in_progress || info.loading) {
    out.push_back(fail("full-sync", fmt::format("{}: {}", me, info.loading ? "loading its dataset"
                                                                           : "a full sync from its master is running")));
  } else {
    out.push_back(pass("full-sync", "none running"));
  }
  const auto lag = replica_lag(s, r);
  if (!lag) {
    out.push_back(fail("lag", fmt::format("{}: lag unknown (its master's offset or replication id not known)", me)));
  } else if (*lag > max_lag) {
    out.push_back(fail("lag", fmt::format("{} is {} bytes behind {}, more than --max-lag {}", me, *lag, master_name,
                                          max_lag)));
  } else {
    out.push_back(pass("lag", fmt::format("{} bytes behind (--max-lag {})", *lag, max_lag)));
  }
  return FailoverPlan{r.listed.id, r.address, master->listed.id, master->address, master->listed.slots};
}

}  // namespace

std::string_view to_token(FailoverMode mode) {
  switch (mode) {
    case FailoverMode::coordinated: return "coordinated";
    case FailoverMode::force: return "force";
    case FailoverMode::takeover: return "takeover";
  }
  return "coordinated";
}

std::string_view risk_of(FailoverMode mode) {
  switch (mode) {
    case FailoverMode::coordinated: return "";
    case FailoverMode::force:
      return "FORCE skips the handshake with the master: writes it acknowledged but had not replicated yet can be "
             "lost";
    case FailoverMode::takeover:
      return "TAKEOVER skips the handshake and the cluster's vote: the replica bumps the config epoch on its own; "
             "if the old master is alive on the other side of a partition, two masters serve the same slots";
  }
  return "";
}

std::vector<std::string> failover_command(FailoverMode mode) {
  switch (mode) {
    case FailoverMode::coordinated: return {"CLUSTER", "FAILOVER"};
    case FailoverMode::force: return {"CLUSTER", "FAILOVER", "FORCE"};
    case FailoverMode::takeover: return {"CLUSTER", "FAILOVER", "TAKEOVER"};
  }
  return {"CLUSTER", "FAILOVER"};
}

bool FailoverPreflight::ok() const {
  return std::none_of(checks.begin(), checks.end(), [](const Check& c) { return c.status == CheckStatus::fail; });
}

bool FailoverPreflight::waiting_on_bus() const {
  bool bus = false;
  for (const auto& c : checks) {
    if (c.status != CheckStatus::fail) continue;
    if (c.name != "bus-link-down") return false;
    bus = true;
  }
  return bus;
}

std::chrono::milliseconds manual_failover_retry_after(std::chrono::milliseconds node_timeout) {
  using std::chrono::milliseconds;
  const milliseconds auth_timeout = std::max(2 * node_timeout, milliseconds(2000));
  const milliseconds cron_margin{200};
  return std::max(manual_failover_timeout, 2 * auth_timeout + cron_margin);
}

FailoverPreflight failover_preflight(const ClusterStatus& s, long long max_lag) {
  FailoverPreflight p;
  const ClusterHealth health = assess_cluster(s);
  if (s.seed_error) {
    // Nothing is known but why: assess_cluster's one finding.
    for (const auto& f : health.findings) p.checks.push_back(fail(f.reason, f.detail));
    return p;
  }
  const auto seed = std::find_if(s.members.begin(), s.members.end(),
                                 [](const ClusterMember& m) { return m.listed.is_myself(); });
  if (seed == s.members.end()) {
    p.checks.push_back(fail("is-replica", s.seed + ": its CLUSTER NODES has no myself line"));
    return p;
  }
  p.plan = check_replica(s, *seed, max_lag, p.checks);
  if (p.plan) {
    const auto links = bus_link_findings(s, p.plan->replica_id);
    for (const auto& f : links) p.checks.push_back(fail(f.reason, f.detail));
    if (links.empty()) p.checks.push_back(pass("bus-links", "linked both ways with every master serving slots"));
  }
  bool blocking = false;
  for (const auto& f : health.findings) {
    if (f.reason == "versions-differ") {
      p.checks.push_back(pass(f.reason, f.detail));
    } else {
      p.checks.push_back(fail(f.reason, f.detail));
      blocking = true;
    }
  }
  if (!blocking) p.checks.push_back(pass("cluster-healthy", "no finding"));
  return p;
}

FailoverProgress failover_progress(const ClusterStatus& now, const FailoverPlan& plan) {
  FailoverProgress g;
  const std::string new_name = label(plan.replica_address, plan.replica_id);
  const std::string old_name = label(plan.master_address, plan.master_id);

  const ClusterMember* replica = find_member(now, plan.replica_id);
  const redis::ClusterNode* self = replica ? own_line(*replica) : nullptr;
  g.replica_is_master = self != nullptr && self->is_master();
  g.replica_says_replica = self != nullptr && self->is_replica();
  if (!g.replica_is_master) g.pending.push_back(new_name + " does not say myself,master yet");

  // The config epoch has propagated when every view gives the slots to the
  // new master and lists the old one as its replica.
  g.views_agree = true;
  for (const auto& m : now.members) {
    if (!m.view) continue;
    const std::string observer = label(m.address, m.listed.id);
    const redis::ClusterNode* n = line_for(*m.view, plan.replica_id);
    if (n == nullptr || !n->is_master() || n->slots != plan.slots) {
      g.views_agree = false;
      g.pending.push_back(fmt::format("{} does not see {} as master of {} yet", observer, new_name,
                                      redis::slots_text(plan.slots)));
    }
    const redis::ClusterNode* o = line_for(*m.view, plan.master_id);
    if (o == nullptr || !o->is_replica() || o->master_id != plan.replica_id) {
      g.views_agree = false;
      g.pending.push_back(fmt::format("{} does not see {} as replica of {} yet", observer, old_name, new_name));
    }
  }

  const ClusterMember* old_master = find_member(now, plan.master_id);
  const redis::ClusterNode* old_self = old_master ? own_line(*old_master) : nullptr;
  if (old_master == nullptr || !old_master->view) {
    g.pending.push_back(old_name + " did not answer");
  } else if (old_self == nullptr || !old_self->is_replica() || old_self->master_id != plan.replica_id) {
    g.pending.push_back(old_name + " does not say myself,slave of " + new_name + " yet");
  } else if (!old_master->replication || old_master->replication->role != redis::Role::replica ||
             !old_master->replication->master_link_up || old_master->replication->master_sync_in_progress) {
    g.pending.push_back(old_name + ": master_link_status not up yet (or a full sync running)");
  } else {
    g.old_master_linked = true;
  }
  return g;
}

}  // namespace vipkit::vipctl
