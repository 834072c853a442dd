#include "ha/divergence_probe.hpp"

#include <fmt/format.h>

#include "redis/commands.hpp"

namespace vipkit::ha {

namespace {

using redis::Clock;
using redis::Error;
using redis::ErrorCode;

// Would Redis continue a PSYNC from the byte after the fork
// (masterTryPartialResynchronization in replication.c)?
std::optional<std::string> why_not_continued(const redis::ReplicationInfo& info, const ForkPoint& fork) {
  const long long from = fork.offset + 1;
  const bool history = info.master_replid == fork.replid ||
                       (info.master_replid2 == fork.replid && from <= info.second_repl_offset);
  if (!history) return "its history no longer contains the fork point";
  if (!info.repl_backlog_active) return "it has no replication backlog";
  if (from < info.repl_backlog_first_byte_offset ||
      from > info.repl_backlog_first_byte_offset + info.repl_backlog_histlen) {
    return fmt::format("its backlog holds offsets {}..{}, not {} (repl-backlog-size)",
                       info.repl_backlog_first_byte_offset,
                       info.repl_backlog_first_byte_offset + info.repl_backlog_histlen, from);
  }
  return std::nullopt;
}

std::optional<std::vector<std::string>> argv_of(const redis::Reply& reply) {
  if (reply.type != redis::Reply::Type::array) return std::nullopt;
  std::vector<std::string> argv;
  for (const auto& e : reply.elements) {
    if (e.type != redis::Reply::Type::string) return std::nullopt;
    argv.push_back(e.str);
  }
  return argv;
}

}  // namespace

redis::Result<PastFork> read_past_fork(const Target& node, const ForkPoint& fork, std::chrono::milliseconds timeout,
                                       long long cap) {
  const auto deadline = Clock::now() + timeout;
  const std::string where = node.endpoint.to_string();
  auto c = redis::Connection::open(node.endpoint, node.credentials, deadline);
  if (!c) return c.error();
  auto info = redis::replication_info(c.value(), deadline);
  if (!info) return info.error();
  PastFork past;
  past.span = info->master_repl_offset - fork.offset;
  if (past.span <= 0) {
    past.span = 0;
    past.complete = true;
    return past;
  }
  if (auto why = why_not_continued(info.value(), fork)) {
    return Error{ErrorCode::protocol, where + ": cannot replay past the fork: " + *why};
  }
  auto cont = c->command({"PSYNC", fork.replid, std::to_string(fork.offset + 1)}, deadline);
  if (!cont) return cont.error();
  if (!cont->str.starts_with("CONTINUE")) {
    return Error{ErrorCode::protocol, where + ": PSYNC answered " + cont->str};
  }
  while (past.bytes < past.span && past.bytes < cap) {
    auto reply = c->next_reply(deadline);
    if (!reply) {
      if (reply.error().code == ErrorCode::timeout) break;  // what we have is a lower bound
      return reply.error();
    }
    auto argv = argv_of(reply.value());
    if (!argv) return Error{ErrorCode::protocol, where + ": the replication stream held something not a command"};
    tally(past, *argv);
  }
  past.complete = past.bytes >= past.span;
  return past;
}

redis::Result<Divergence> observe_divergence(const Target& local, const NodeState& local_state, const Target& peer,
                                             const NodeState& peer_state, std::chrono::milliseconds timeout) {
  const auto fork = fork_point(local_state, peer_state);
  if (!fork) return Error{ErrorCode::protocol, "the two histories share no fork point"};
  auto l = read_past_fork(local, *fork, timeout);
  if (!l) return Error{l.error().code, "local: " + l.error().message};
  auto p = read_past_fork(peer, *fork, timeout);
  if (!p) return Error{p.error().code, "peer: " + p.error().message};
  return Divergence{*fork, l.value(), p.value()};
}

}  // namespace vipkit::ha
