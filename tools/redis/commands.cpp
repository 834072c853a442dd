#include "redis/commands.hpp"

#include "redis/replica_hold.hpp"

namespace vipkit::redis {

namespace {

Status status_of(const Result<Reply>& reply) {
  if (!reply) return reply.error();
  return Done{};
}

}  // namespace

Status replicaof(Connection& c, const std::string& host, const std::string& port, Deadline deadline) {
  // Re-pointing (or promoting) is a decision taken with the data in view:
  // a hold (replica_hold.hpp) has done its job. A server where CONFIG is
  // denied or renamed cannot have been held by us: go on. A lost
  // connection or a timeout is a failure like any other.
  if (auto released = release_replica(c, deadline); !released) {
    const ErrorCode code = released.error().code;
    if (code == ErrorCode::io || code == ErrorCode::timeout || code == ErrorCode::unreachable) return released;
  }
  auto reply = c.command({"REPLICAOF", host, port}, deadline);
  if (!reply && reply.error().code == ErrorCode::unknown_command) {
    reply = c.command({"SLAVEOF", host, port}, deadline);
  }
  return status_of(reply);
}

Result<RoleInfo> role(Connection& c, Deadline deadline) {
  auto reply = c.command({"ROLE"}, deadline);
  if (!reply) return reply.error();
  return parse_role(reply.value());
}

Result<ReplicationInfo> replication_info(Connection& c, Deadline deadline) {
  auto reply = c.command({"INFO", "replication"}, deadline);
  if (!reply) return reply.error();
  return parse_replication_info(reply->str, "");
}

Status pause_writes(Connection& c, std::chrono::milliseconds duration, Deadline deadline) {
  const std::string ms = std::to_string(duration.count());
  auto reply = c.command({"CLIENT", "PAUSE", ms, "WRITE"}, deadline);
  if (!reply && reply.error().code == ErrorCode::unknown_command) {
    reply = c.command({"CLIENT", "PAUSE", ms}, deadline);
  }
  return status_of(reply);
}

Status unpause_writes(Connection& c, Deadline deadline) {
  auto reply = c.command({"CLIENT", "UNPAUSE"}, deadline);
  if (!reply && reply.error().code == ErrorCode::unknown_command) return Done{};
  return status_of(reply);
}

Status failover_abort(Connection& c, Deadline deadline) { return status_of(c.command({"FAILOVER", "ABORT"}, deadline)); }

Status config_rewrite(Connection& c, Deadline deadline) { return status_of(c.command({"CONFIG", "REWRITE"}, deadline)); }

Result<std::string> config_get(Connection& c, const std::string& parameter, Deadline deadline) {
  auto reply = c.command({"CONFIG", "GET", parameter}, deadline);
  if (!reply) return reply.error();
  if (reply->type != Reply::Type::array || reply->elements.size() != 2) {
    return Error{ErrorCode::protocol, "CONFIG GET " + parameter + " returned no value"};
  }
  return reply->elements[1].str;
}

}  // namespace vipkit::redis
