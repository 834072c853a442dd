#pragma once
// Keep a copy of a node's data before re-pointing would discard it:
// BGSAVE, wait for it to finish, copy the RDB file to the backup directory
// as NAME-YYYYmmddTHHMMSSZ.rdb with a NAME-…json beside it (replid, offset,
// dbsize, peer, time).
#include <chrono>
#include <string>

#include "ha/node_state.hpp"
#include "ha/procedures.hpp"

namespace vipkit::ha {

struct SnapshotResult {
  Outcome outcome;
  std::string rdb_path;   // the copy
  std::string meta_path;  // its JSON
};

SnapshotResult snapshot(const Target& local, const NodeState& observed, const std::string& instance,
                        const std::string& backup_dir, const std::string& peer_text,
                        std::chrono::milliseconds timeout);

}  // namespace vipkit::ha
