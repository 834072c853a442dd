#pragma once
// Ask one Redis Sentinel what it knows of one monitored master: the address
// it hands to clients (SENTINEL get-master-addr-by-name) and its state
// (SENTINEL master: config epoch, flags), pipelined in one round trip over
// the project's bounded Connection. A Sentinel with requirepass takes AUTH
// like any Redis (Connection::open), with its own password file.
#include <optional>
#include <string>

#include "redis/connection.hpp"
#include "redis/sentinel_replies.hpp"

namespace vipkit::redis {

struct SentinelAnswer {
  // nullopt: this Sentinel monitors no master by that name; then `state`
  // is nullopt too.
  std::optional<Endpoint> master;
  std::optional<SentinelMaster> state;
};

Result<SentinelAnswer> ask_sentinel(Connection& sentinel, const std::string& master_name, Deadline deadline);

// Connect (and AUTH), then ask; nothing outlives `deadline`.
Result<SentinelAnswer> ask_sentinel(const Endpoint& sentinel, const Credentials& credentials,
                                    const std::string& master_name, Deadline deadline);

}  // namespace vipkit::redis
