#include "vipctl/preflight.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace vipkit::vipctl {

namespace {

constexpr redis::Version failover_since{6, 2, 0};

Check pass(std::string name, std::string detail) { return {std::move(name), CheckStatus::pass, std::move(detail)}; }
Check fail(std::string name, std::string detail) { return {std::move(name), CheckStatus::fail, std::move(detail)}; }

std::string state_text(const NodeView& n) { return n.endpoint.to_string() + " " + n.state.summary(); }

}  // namespace

std::string_view to_token(CheckStatus status) {
  switch (status) {
    case CheckStatus::pass: return "pass";
    case CheckStatus::fail: return "fail";
    case CheckStatus::unknown: return "unknown";
  }
  return "unknown";
}

std::string_view to_token(Method method) {
  return method == Method::failover ? "failover" : "client-pause";
}

Method choose_method(const NodeView& old_master, const NodeView& new_master, bool force_client_pause) {
  const bool both_know_failover = old_master.server && new_master.server &&
                                  old_master.server->version >= failover_since &&
                                  new_master.server->version >= failover_since;
  return both_know_failover && !force_client_pause ? Method::failover : Method::client_pause;
}

bool Preflight::ok() const {
  return std::none_of(checks.begin(), checks.end(), [](const Check& c) { return c.status == CheckStatus::fail; });
}

bool Preflight::only_settling() const {
  static constexpr std::array<std::string_view, 4> settling{"replica-of-old-master", "link-up", "lag",
                                                           "target-address"};
  return !ok() && std::all_of(checks.begin(), checks.end(), [](const Check& c) {
    return c.status != CheckStatus::fail || std::find(settling.begin(), settling.end(), c.name) != settling.end();
  });
}

Preflight preflight(const PreflightInput& in) {
  Preflight p;
  auto& checks = p.checks;
  const ha::NodeState& o = in.old_master.state;
  const ha::NodeState& n = in.new_master.state;

  checks.push_back(o.is_master() ? pass("old-master", in.old_master.endpoint.to_string() + " is a master")
                                 : fail("old-master", state_text(in.old_master) + ": not a usable master"));

  // The new master must replicate the old one's history right now.
  const bool follows = n.is_replica() && n.replid == o.replid;
  checks.push_back(follows ? pass("replica-of-old-master",
                                  fmt::format("{} replicates {}", in.new_master.endpoint.to_string(),
                                              in.old_master.endpoint.to_string()))
                           : fail("replica-of-old-master", state_text(in.new_master) + ": not a replica of " +
                                                               in.old_master.endpoint.to_string()));

  checks.push_back(n.is_synced_replica() ? pass("link-up", "master_link_status:up, no full sync")
                                         : fail("link-up", fmt::format("link {}{}", n.link_up ? "up" : "down",
                                                                       n.sync_in_progress ? ", full sync running" : "")));

  const auto lag = lag_bytes(n, o);
  if (!lag) {
    checks.push_back(fail("lag", "unknown: the nodes do not share a replication history now"));
  } else if (*lag > in.max_lag) {
    checks.push_back(fail("lag", fmt::format("{} bytes behind, more than --max-lag {}", *lag, in.max_lag)));
  } else {
    checks.push_back(pass("lag", fmt::format("{} bytes behind (--max-lag {})", *lag, in.max_lag)));
  }

  const std::string versions = fmt::format("old master {}, new master {}", version_text(in.old_master),
                                           version_text(in.new_master));
  if (!in.old_master.server || !in.new_master.server) {
    checks.push_back(fail("versions", versions));
  } else {
    checks.push_back(pass("versions", versions + (in.method == Method::failover
                                                      ? ": FAILOVER TO"
                                                      : ": CLIENT PAUSE WRITE + REPLICAOF")));
  }

  // FAILOVER TO accepts only an address the old master lists in ROLE, and the
  // old master re-points to that same address either way.
  const std::string target = in.new_master_advertised.to_string();
  if (lists_replica(in.old_master, in.new_master_advertised)) {
    checks.push_back(pass("target-address", target + " is listed by the old master"));
  } else {
    std::string listed;
    for (const auto& r : in.old_master.replicas) listed += fmt::format("{}{}:{}", listed.empty() ? "" : ", ", r.host, r.port);
    checks.push_back(fail("target-address",
                          fmt::format("the old master lists [{}], not {}: check --self (promote) or --peer (demote)",
                                      listed, target)));
  }

  const auto& marker = o.switchover ? o.switchover : n.switchover;
  checks.push_back(marker ? fail("no-switchover-running",
                                 fmt::format("{} to {} by {} is running", marker->op, marker->to, marker->by))
                          : pass("no-switchover-running", "no marker on either node"));
  checks.push_back(in.acl);
  checks.push_back(in.mover);
  return p;
}

}  // namespace vipkit::vipctl
