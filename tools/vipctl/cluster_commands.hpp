#pragma once
// `vipctl cluster status`: a Redis Cluster's nodes and the verdict on them
// (issue 12; the failover and upgrade steps are not built yet). Option
// registration and the thin run function; the gathering is cluster_gather,
// the verdict cluster_status, the output cluster_render.
#include <string>

#include <CLI/CLI.hpp>

namespace vipkit::vipctl {

struct Options;

struct ClusterOptions {
  std::string node;  // HOST:PORT of any node of the cluster
  CLI::App* command = nullptr;
  CLI::App* status = nullptr;
};

void add_cluster_options(CLI::App& app, Options& options);

// The exit code. Throws common::ConfigError for bad input.
int run_cluster(const Options& options);

}  // namespace vipkit::vipctl
