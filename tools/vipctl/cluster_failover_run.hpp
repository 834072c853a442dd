#pragma once
// vipctl cluster failover, the I/O half: gather the cluster through the
// replica, preflight (cluster_failover), send CLUSTER FAILOVER to the
// replica, then gather again every `poll` until failover_progress says done
// or `timeout` has passed. Each stage is a step with its elapsed ms, as
// promote's. Two waits are bounded by Redis's own clocks, not `timeout`
// alone: a preflight failing only on bus-link-down (a node just restarted)
// is gathered again until the links are back, up to `timeout`, before
// anything is sent; and the replica must say myself,master within the
// manual-failover timeout (5 s), after which Redis has given the attempt up
// (failover-not-elected, with when a new one can win).
#include <chrono>
#include <string>
#include <vector>

#include "ha/procedures.hpp"
#include "redis/credentials.hpp"
#include "redis/endpoint.hpp"
#include "vipctl/cluster_failover.hpp"
#include "vipctl/switchover.hpp"

namespace vipkit::vipctl {

struct ClusterFailoverConfig {
  redis::Endpoint replica;
  redis::Credentials credentials;  // every node: a cluster shares requirepass/masterauth
  milliseconds exchange_timeout{500};
  milliseconds timeout{10000};  // from CLUSTER FAILOVER to done; Redis gives up a manual failover after 5 s
  milliseconds poll{50};
  long long max_lag = default_failover_max_lag;
  FailoverMode mode = FailoverMode::coordinated;
  bool dry_run = false;
};

enum class ClusterFailoverResult {
  done,     // the replica is master in every view, the old master its linked replica
  dry_run,  // preflight only
  refused,  // preflight failed: nothing sent
  failed,   // CLUSTER FAILOVER refused, or not complete within the timeout
};
std::string_view to_token(ClusterFailoverResult result);

struct ClusterFailoverReport {
  ClusterFailoverResult result = ClusterFailoverResult::refused;
  // Stable token: "preflight-failed", "failover-refused", "failover-not-elected",
  // "failover-timeout", "failover-reverted".
  std::string reason;
  FailoverMode mode = FailoverMode::coordinated;
  std::string replica;  // --replica, as "host:port"
  FailoverPreflight preflight;
  std::vector<ha::Step> steps;
  std::vector<std::string> pending;  // failover-timeout: what was still missing
  // failover-not-elected: how long after `total` a new CLUSTER FAILOVER can
  // win (manual_failover_retry_after, from the send). Zero otherwise.
  milliseconds retry_in{0};
  milliseconds total{0};
};

// As promote's: 0 done, or a dry run whose checks all pass; 1 refused,
// failed, or a dry run with a failing check. (No 3: nothing is rolled back;
// Redis itself abandons a manual failover that does not complete.)
int exit_code(const ClusterFailoverReport& report);

ClusterFailoverReport run_cluster_failover(const ClusterFailoverConfig& config, const StepSink& on_step);

}  // namespace vipkit::vipctl
