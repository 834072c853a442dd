#pragma once
// `vipctl snapshot list|diff|merge|prune`: the snapshots a yielding master
// kept (ha/snapshot.cpp), and giving their diverged writes back to the live
// master. Option registration and the thin edges (directory reads, file
// deletion, output); the decisions are in snapshot_catalog, snapshot_plan
// and snapshot_relation.
#include <string>

#include <CLI/CLI.hpp>

namespace vipkit::vipctl {

struct Options;

struct SnapshotOptions {
  std::string rdb;
  std::string on_conflict = "skip";
  bool force = false;
  std::string redis_server = "redis-server";
  std::size_t keep = 0;
  std::string older_than;
  int batch_pause_ms = 0;  // tests: kill a merge mid-way
  CLI::App* command = nullptr;
  CLI::App* list = nullptr;
  CLI::App* diff = nullptr;
  CLI::App* merge = nullptr;
  CLI::App* prune = nullptr;
};

void add_snapshot_options(CLI::App& app, Options& options);

// The exit code. Throws common::ConfigError for bad input.
int run_snapshot(const Options& options);

}  // namespace vipkit::vipctl
