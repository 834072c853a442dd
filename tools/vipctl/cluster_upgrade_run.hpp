#pragma once
// vipctl cluster upgrade, the I/O half: gather the cluster, plan it
// (upgrade_plan), then run the steps in order, each one timed in the step
// log, and stop at the first that fails. What each step does:
//   check-health  gather again, upgrade_health must be empty;
//   backup        ha::snapshot of the master (BGSAVE, wait, copy the RDB
//                 into --backup-dir with a JSON of replid/offset beside it);
//   restart       the filled-in --restart-cmd by /bin/sh -c (shell_run);
//   wait-synced   gather every `poll` until check_synced holds (the bus
//                 links of the node included: a failover may follow);
//   failover      run_cluster_failover, retried while Redis 7.0 reverts it
//                 or gives it up unelected, each retry sent when the
//                 replica can be elected again (README, "vipctl cluster
//                 failover").
// Each step but the first starts only after the previous one's wait held,
// so a stop leaves the cluster as healthy as that wait saw it.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "ha/procedures.hpp"
#include "redis/credentials.hpp"
#include "redis/endpoint.hpp"
#include "vipctl/cluster_failover.hpp"
#include "vipctl/restart_command.hpp"
#include "vipctl/switchover.hpp"
#include "vipctl/upgrade_plan.hpp"

namespace vipkit::vipctl {

struct ClusterUpgradeConfig {
  redis::Endpoint seed;
  redis::Credentials credentials;  // every node: a cluster shares requirepass/masterauth
  milliseconds exchange_timeout{500};
  // --timeout: the bound of each step (the restart command, a wait, a
  // failover with its retries, a backup).
  milliseconds step_timeout{120000};
  milliseconds poll{200};
  RestartCommand restart;
  std::optional<redis::Version> expect_version;
  std::string backup_dir;  // "": no backups
  std::string state_file;  // "": no record of the original masters (upgrade_state.hpp)
  bool swap_back = false;
  bool dry_run = false;
  long long max_lag = default_failover_max_lag;  // wait-synced and the failovers' preflight
};

enum class ClusterUpgradeResult {
  done,     // every step ran and held
  dry_run,  // planned only
  refused,  // the plan refused, or the state file is unusable: nothing ran
  failed,   // a step failed: the ones before it held
};
std::string_view to_token(ClusterUpgradeResult result);

struct ClusterUpgradeReport {
  ClusterUpgradeResult result = ClusterUpgradeResult::refused;
  // Stable token: "plan-refused", "state-file-unusable", or
  // "<step kind>-failed" (e.g. "restart-failed", "wait-synced-failed").
  std::string reason;
  std::string detail;  // one line: why (the state file's error, the failed step's detail)
  UpgradePlan plan;
  std::vector<ha::Step> steps;           // named after the step kind; detail starts with the node
  std::vector<UpgradeStep> remaining;    // failed: the failed step and those after it
  std::vector<Finding> pending;          // wait-synced failed: what was still missing
  std::vector<std::string> original_masters;
  std::string state_file;                // where they are recorded ("" none)
  milliseconds total{0};
};

// 0 done, or a dry run of a plan that is not refused; 1 otherwise.
int exit_code(const ClusterUpgradeReport& report);

ClusterUpgradeReport run_cluster_upgrade(const ClusterUpgradeConfig& config, const StepSink& on_step);

}  // namespace vipkit::vipctl
