#pragma once
// Before a planned switchover changes anything: is it safe and can it work?
// A pure function of what was observed (both nodes, the ACL verdict, the VIP
// mover's reachability) returning every check with its detail — what
// `--dry-run` prints. docs/switchover.md.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vipctl/node_view.hpp"

namespace vipkit::vipctl {

enum class CheckStatus { pass, fail, unknown };  // unknown: cannot tell, does not block
std::string_view to_token(CheckStatus status);

struct Check {
  std::string name;  // stable: "old-master", "replica-linked", "lag", "versions", ...
  CheckStatus status = CheckStatus::unknown;
  std::string detail;
};

// How the Redis roles are switched.
enum class Method {
  failover,      // FAILOVER TO (Redis >= 6.2 on both nodes)
  client_pause,  // CLIENT PAUSE WRITE, catch up, REPLICAOF NO ONE, re-point (ha::takeover)
};
std::string_view to_token(Method method);

// Redis >= 6.2 on both nodes, unless the caller forces the older path.
Method choose_method(const NodeView& old_master, const NodeView& new_master, bool force_client_pause);

struct PreflightInput {
  const NodeView& old_master;
  const NodeView& new_master;
  redis::Endpoint new_master_advertised;  // how the old master reaches the new one (FAILOVER TO, REPLICAOF)
  long long max_lag = 0;                  // bytes
  Method method = Method::failover;
  Check acl;    // from check_acl (I/O, done by the caller)
  Check mover;  // from the VIP mover
};

struct Preflight {
  std::vector<Check> checks;
  bool ok() const;  // no check failed
  // Every failing check is one that a pair still settling from a previous
  // switchover passes a moment later (the old master not yet re-linked, or
  // not yet listed by the new one): worth looking again, briefly.
  bool only_settling() const;
};

Preflight preflight(const PreflightInput& input);

}  // namespace vipkit::vipctl
