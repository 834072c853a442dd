#pragma once
// vipctl's subcommands: the options they share — vipd's, which include
// vip-notify's instance options, so that the instance file of either (one
// file per instance) serves vipctl as well — and the one function main
// calls. Each command prints its result to stdout (table or --json) and logs
// one line per step to stderr; the return value is the exit code.
#include <string>

#include <CLI/CLI.hpp>

#include "vipctl/cluster_commands.hpp"
#include "vipctl/snapshot_commands.hpp"
#include "vrrp/vipd/config.hpp"

namespace vipkit::vipctl {

struct Options {
  vipd::VipdOptions vipd;  // .redis: the instance options; the rest read from a vipd config
  int vip_port = 0;  // 0: the local Redis port
  bool json = false;
  std::string status_format = "table";  // table | json | prometheus
  // promote / demote
  bool dry_run = false;
  int switch_timeout_ms = 5000;
  int vip_timeout_ms = 10000;
  long long max_lag = 1 << 20;
  bool redis_only = false;
  bool force_client_pause = false;
  CLI::App* status = nullptr;
  CLI::App* promote = nullptr;
  CLI::App* demote = nullptr;
  SnapshotOptions snapshot;  // snapshot list|diff|merge|prune
  ClusterOptions cluster;    // cluster status
};

void add_options(CLI::App& app, Options& options);

// Runs the chosen subcommand. Throws common::ConfigError for configuration
// faults (main maps it to exit_usage).
int run(const Options& options);

}  // namespace vipkit::vipctl
