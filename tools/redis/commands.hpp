#pragma once
// The administrative commands vipkit sends, one wrapper each, with the
// fallbacks for older Redis in one place. A fallback is taken only when the
// server says it does not know the command (ErrorCode::unknown_command); any
// other error (NOPERM from an ACL, a syntax error, LOADING) is a failure,
// never "old Redis, fine".
#include <chrono>
#include <string>

#include "redis/connection.hpp"
#include "redis/replies.hpp"

namespace vipkit::redis {

// REPLICAOF host port (REPLICAOF NO ONE to promote); SLAVEOF on Redis < 5.
// A replica hold (replica_hold.hpp) is released first.
Status replicaof(Connection& c, const std::string& host, const std::string& port, Deadline deadline);

Result<RoleInfo> role(Connection& c, Deadline deadline);
Result<ReplicationInfo> replication_info(Connection& c, Deadline deadline);

// CLIENT PAUSE ms WRITE (Redis >= 6.2); older servers only know the
// all-clients form, which also stops writes.
Status pause_writes(Connection& c, std::chrono::milliseconds duration, Deadline deadline);

// CLIENT UNPAUSE (Redis >= 6.2). On older servers, which do not know it, a
// pause can only expire by itself: Done. Everything else is a failure.
Status unpause_writes(Connection& c, Deadline deadline);

// FAILOVER ABORT: Redis unpauses and, if it had already demoted itself,
// becomes a master again (abortFailover in replication.c).
Status failover_abort(Connection& c, Deadline deadline);

Status config_rewrite(Connection& c, Deadline deadline);

// CONFIG GET parameter -> its value. RESP2 answers [name, value]; an
// unknown parameter gives an empty array, a protocol error here.
Result<std::string> config_get(Connection& c, const std::string& parameter, Deadline deadline);

}  // namespace vipkit::redis
