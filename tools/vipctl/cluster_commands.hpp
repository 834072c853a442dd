#pragma once
// `vipctl cluster status`: a Redis Cluster's nodes and the verdict on them;
// `vipctl cluster failover`: one master handed to its replica (issue 12). Option registration and the thin run
// functions; status: cluster_gather, cluster_status, cluster_render;
// failover: cluster_failover(_run, _render); `vipctl cluster upgrade`: a
// rolling restart onto a new Redis binary, upgrade_plan, cluster_upgrade_run
// and _render.
#include <string>

#include <CLI/CLI.hpp>

namespace vipkit::vipctl {

struct Options;

struct ClusterOptions {
  std::string node;  // status: HOST:PORT of any node of the cluster
  // failover
  std::string replica;  // HOST:PORT of the replica to promote
  int failover_timeout_ms = 10000;
  long long max_lag = 1 << 20;  // default_failover_max_lag
  bool dry_run = false;
  bool force = false;
  bool takeover = false;
  // upgrade (also --node, --dry-run, --max-lag)
  std::string restart_cmd;
  std::string expect_version;  // "": none
  std::string upgrade_backup_dir;
  std::string state_file;
  bool swap_back = false;
  int upgrade_timeout_ms = 120000;
  CLI::App* command = nullptr;
  CLI::App* status = nullptr;
  CLI::App* failover = nullptr;
  CLI::App* upgrade = nullptr;
};

void add_cluster_options(CLI::App& app, Options& options);

// The exit code. Throws common::ConfigError for bad input.
int run_cluster(const Options& options);

}  // namespace vipkit::vipctl
