#pragma once
// The replica hold: keep a replica from syncing with its master again until
// vipkit has looked at that master's data.
//
// Why: a replica whose link is down reconnects by itself (replicationCron,
// once a second). If its master came back empty (restarted without
// persistence) or from an older RDB, that reconnect is a full resync and the
// replica's data, acknowledged writes included, is replaced by the master's
// (Redis's "replication with persistence off" hazard). vipkit holds a replica
// whose link went down and releases it only when the master's history covers
// everything the replica holds (ha/replica_guard.hpp decides).
//
// How: the replica's AUTH to its master is made to fail. With a masterauth
// set, masteruser becomes "vipkit-hold" (or "vipkit-hold:USER" when it was
// USER); without one, masterauth becomes "vipkit-hold". The replica stays a
// read-only replica with its data and keeps retrying, harmlessly. The marker
// lives in Redis itself, so a vipkit that restarts (or another vipkit tool)
// knows it and can undo it; the password is never read into a log or a file.
// Every REPLICAOF that vipkit sends releases the hold first (commands.cpp):
// re-pointing is a decision already made with the data in view.
#include <optional>
#include <string>
#include <string_view>

#include "redis/connection.hpp"

namespace vipkit::redis {

inline constexpr std::string_view hold_marker = "vipkit-hold";

// What CONFIG GET masteruser / masterauth say, as far as the hold goes.
struct HoldConfig {
  std::string masteruser;
  bool masterauth_set = false;    // non-empty and not our marker
  bool masterauth_marker = false; // masterauth is "vipkit-hold"
};

// The CONFIG SET that holds (parameter, value), or nullopt when already held.
struct ConfigChange {
  std::string parameter;
  std::string value;
  bool operator==(const ConfigChange&) const = default;
};
bool is_held(const HoldConfig& config);
// From the values of masteruser and masterauth (the password is only
// compared, never kept).
HoldConfig hold_config_from(std::string masteruser, const std::string& masterauth);
std::optional<ConfigChange> hold_change(const HoldConfig& config);
std::optional<ConfigChange> release_change(const HoldConfig& config);

Result<HoldConfig> read_hold(Connection& c, Deadline deadline);
// Hold / release; Done when there was nothing to change.
Status hold_replica(Connection& c, Deadline deadline);
Status release_replica(Connection& c, Deadline deadline);

}  // namespace vipkit::redis
