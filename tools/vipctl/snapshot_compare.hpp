#pragma once
// `vipctl snapshot diff` and `merge`: the I/O around snapshot_plan. Loads
// the RDB into a private redis-server (scratch_server), walks it with SCAN,
// reads DUMP/PTTL there and DUMP on the live master in bounded pipelines,
// classifies every key (snapshot_plan) and, for a merge, sends the RESTOREs
// the plan asks for. One step per phase (check-master, load-snapshot,
// compare or merge, stop-snapshot), reported as it ends.
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "ha/procedures.hpp"
#include "vipctl/snapshot_plan.hpp"
#include "vipctl/snapshot_relation.hpp"

namespace vipkit::vipctl {

struct CompareConfig {
  ha::Target master;
  std::string rdb;
  std::string redis_server;                 // resolved path (find_redis_server)
  std::optional<HistoryIds> snapshot_ids;   // from the JSON beside the RDB
  bool merge = false;                       // false: diff only
  bool dry_run = false;                     // merge: plan, restore nothing
  bool force = false;                       // merge even an unrelated/unknown history
  ConflictPolicy policy = ConflictPolicy::skip;
  std::size_t batch_keys = 500;             // keys per round trip: 1000 commands to the private server
  std::chrono::milliseconds timeout{1000};  // connect and small commands
  std::chrono::milliseconds batch_timeout{30000};  // one batch's pipeline
  std::chrono::milliseconds load_timeout{600000};  // the RDB load
  std::chrono::milliseconds batch_pause{0};        // tests: sleep between batches
  std::size_t sample_limit = 20;
};

struct CompareReport {
  ha::Outcome outcome;            // ok, reason token, the steps
  HistoryIds master_ids;
  Relation relation = Relation::unknown;
  std::string relation_reason;
  long long snapshot_keys = 0;    // loaded into the private server
  DiffSummary diff;
  std::size_t restored = 0;       // absent keys written
  std::size_t replaced = 0;       // conflicts overwritten (snapshot-wins)
  std::size_t skipped = 0;        // conflicts left alone (skip)
  std::size_t raced = 0;          // absent when read, written on the master before RESTORE (BUSYKEY): left alone
  std::vector<std::string> raced_sample;
};

struct Progress {
  std::size_t scanned = 0;
  long long total = 0;
  std::size_t restored = 0;
};

CompareReport compare_snapshot(const CompareConfig& config, const std::function<void(const ha::Step&)>& on_step,
                               const std::function<void(const Progress&)>& on_progress);

}  // namespace vipkit::vipctl
