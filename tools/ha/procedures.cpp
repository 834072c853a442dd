#include "ha/procedures.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "ha/observe.hpp"
#include "ha/replica_guard.hpp"
#include "ha/step_recorder.hpp"
#include "redis/commands.hpp"

namespace vipkit::ha {

namespace {

using Clock = redis::Clock;
constexpr milliseconds poll_interval{10};

using redis::config_rewrite;
using redis::pause_writes;
using redis::replicaof;
using redis::unpause_writes;

// REPLICAOF NO ONE, then ROLE must say master.
redis::Status promote_on(redis::Connection& c, redis::Deadline deadline) {
  if (auto st = replicaof(c, "NO", "ONE", deadline); !st) return st;
  auto role = redis::role(c, deadline);
  if (!role) return role.error();
  if (role->role != redis::Role::master) {
    return redis::Error{redis::ErrorCode::protocol, "ROLE is still " +
                                                        std::string(redis::to_token(role->role)) +
                                                        " after REPLICAOF NO ONE"};
  }
  return redis::Done{};
}

// The takeover marker: SET NX PX on the old master, on a connection of its
// own. nil: another marker (vipctl's) is there, and that switchover owns
// the roles. A SET that does not answer within marker_patience means the
// old master's writes are paused already — a fence, which its automation
// does not lift in the states it can be in then — so the marker is skipped
// (false); hanging up discards the queued SET.
constexpr milliseconds marker_patience{300};

redis::Result<bool> set_takeover_marker(const Target& peer, const TakeoverOptions& options) {
  const auto deadline = Clock::now() + marker_patience;
  auto c = redis::Connection::open(peer.endpoint, peer.credentials, deadline);
  if (!c) return c.error();
  const long long now_ms =
      std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const SwitchoverMarker marker{options.local_advertised.to_string(), "", std::string(takeover_op), options.mark_by,
                                now_ms};
  const milliseconds ttl = options.pause + milliseconds(1000);
  auto reply = c->command(marker_set_command(marker, ttl, true), deadline);
  if (!reply && reply.error().code == redis::ErrorCode::timeout) return false;
  if (!reply) return reply.error();
  if (reply->type != redis::Reply::Type::nil) return true;
  // The key is there: a marker of ours (vipctl's, with an expiry) owns the
  // roles; anything else under our key is not a marker (ha/switchover.hpp)
  // and is replaced.
  auto held = c->pipeline({{"GET", std::string(switchover_key)}, {"PTTL", std::string(switchover_key)}}, deadline);
  if (!held) return held.error();
  const auto& v = held.value();
  if (v[0].type == redis::Reply::Type::string && v[1].type == redis::Reply::Type::integer &&
      parse_marker(v[0].str, v[1].integer)) {
    return redis::Error{redis::ErrorCode::reply_error, "another switchover marker is set"};
  }
  reply = c->command(marker_set_command(marker, ttl, false), deadline);
  if (!reply && reply.error().code == redis::ErrorCode::timeout) return false;
  if (!reply) return reply.error();
  return true;
}

redis::Status delete_marker(redis::Connection& c, redis::Deadline deadline) {
  auto reply = c.command(marker_delete_command(), deadline);
  if (!reply) return reply.error();
  return redis::Done{};
}

}  // namespace

Outcome promote(const Target& local, bool rewrite, milliseconds timeout) {
  Outcome outcome;
  StepRecorder steps(outcome);
  const auto deadline = Clock::now() + timeout;
  auto c = steps.connect(local, deadline);
  if (!c) return steps.fail_connect(c.error());
  if (!steps.run("promote", [&] { return promote_on(c.value(), deadline); }, "role=master")) {
    return steps.fail("promote-failed");
  }
  if (rewrite && !steps.run("config-rewrite", [&] { return config_rewrite(c.value(), deadline); })) {
    return steps.fail("config-rewrite-failed");
  }
  return steps.succeed();
}

Outcome repoint(const Target& node, const Target& master, bool rewrite, milliseconds timeout) {
  Outcome outcome;
  StepRecorder steps(outcome);
  const auto deadline = Clock::now() + timeout;
  if (master.endpoint.is_unix()) {
    return steps.fail("master-address-is-unix-socket");
  }
  // Look at the master right before pointing at it: a replica (of us or
  // anyone) would make a replication chain or loop.
  auto start = Clock::now();
  const NodeState m = observe(master.endpoint, master.credentials, deadline);
  if (!m.is_healthy_master()) {
    steps.record("check-master", start, false, m.summary());
    return steps.fail("master-not-master");
  }
  steps.record("check-master", start, true, m.summary());

  auto c = steps.connect(node, deadline);
  if (!c) return steps.fail_connect(c.error());
  start = Clock::now();
  const std::string port = std::to_string(master.endpoint.port);
  if (auto st = replicaof(c.value(), master.endpoint.host, port, deadline); !st) {
    steps.record("replicaof", start, false, st.error().message);
    return steps.fail("replicaof-failed");
  }
  auto role = redis::role(c.value(), deadline);
  if (!role || role->role != redis::Role::replica || role->master_host != master.endpoint.host ||
      role->master_port != master.endpoint.port) {
    steps.record("replicaof", start, false, role ? "ROLE does not point at the master" : role.error().message);
    return steps.fail("replicaof-not-applied");
  }
  steps.record("replicaof", start, true, "master=" + master.endpoint.to_string());
  if (rewrite && !steps.run("config-rewrite", [&] { return config_rewrite(c.value(), deadline); })) {
    return steps.fail("config-rewrite-failed");
  }
  return steps.succeed();
}

Outcome takeover(const Target& local, const Target& peer, const TakeoverOptions& options) {
  Outcome outcome;
  StepRecorder steps(outcome);
  const auto overall = Clock::now() + options.sync_wait + options.pause + milliseconds(2000);

  auto lc = steps.connect(local, overall);
  if (!lc) return steps.fail("local-unreachable");
  auto pc = steps.connect(peer, overall);
  if (!pc) return steps.fail("peer-unreachable");
  redis::Connection& l = lc.value();
  redis::Connection& p = pc.value();

  // 1. Without pausing anyone yet: the local replica must be linked to the
  //    peer's history, so the catch-up below can succeed within the pause.
  auto start = Clock::now();
  const auto sync_deadline = start + options.sync_wait;
  NodeState ls, ps;
  for (;;) {
    ls = observe(l, overall);
    ps = observe(p, overall);
    if (!ps.is_healthy_master()) {
      steps.record("wait-link", start, false, "peer " + ps.summary());
      return steps.fail("peer-not-master");
    }
    if (ls.is_synced_replica() && ls.replid == ps.replid) break;
    if (Clock::now() >= sync_deadline) {
      steps.record("wait-link", start, false, "local " + ls.summary());
      return steps.fail("local-not-synced");
    }
    std::this_thread::sleep_for(poll_interval * 5);
  }
  steps.record("wait-link", start, true, fmt::format("lag={}", ps.offset - ls.offset));

  // 2. Stop writes on the old master. From here on, every exit path must
  //    unpause it unless the new master is in place.
  bool marked = false;
  if (!options.mark_by.empty()) {
    start = Clock::now();
    const auto mark = set_takeover_marker(peer, options);
    if (!mark) {
      steps.record("mark", start, false, mark.error().message);
      return steps.fail("marker-set");
    }
    marked = mark.value();
    steps.record("mark", start, true, marked ? "op=takeover" : "skipped: the peer's writes are paused already");
  }
  const auto pause_start = Clock::now();
  if (auto st = pause_writes(p, options.pause, overall); !st) {
    steps.record("pause-peer", pause_start, false, st.error().message);
    if (marked) steps.run("unmark", [&] { return delete_marker(p, Clock::now() + milliseconds(1000)); });
    return steps.fail("pause-failed");
  }
  steps.record("pause-peer", pause_start, true, fmt::format("pause_ms={}", options.pause.count()));
  auto abort = [&](const std::string& reason) -> Outcome& {
    steps.run("unpause-peer", [&] { return unpause_writes(p, Clock::now() + milliseconds(1000)); });
    if (marked) steps.run("unmark", [&] { return delete_marker(p, Clock::now() + milliseconds(1000)); });
    outcome.write_pause = since(pause_start);
    return steps.fail(reason);
  };

  // 3. Catch up: the local offset must reach the peer's offset as it stands
  //    with writes paused. Bounded by the pause itself, with a margin so we
  //    never promote after the pause has silently expired.
  start = Clock::now();
  ps = observe(p, overall);
  if (!ps.is_healthy_master()) {
    steps.record("catch-up", start, false, "peer " + ps.summary());
    return abort("peer-not-master");
  }
  const long long target = ps.offset;
  const auto catch_up_deadline = pause_start + options.pause * 3 / 4;
  for (;;) {
    ls = observe(l, overall);
    if (ls.reachable && ls.replid == ps.replid && ls.offset >= target) break;
    if (Clock::now() >= catch_up_deadline || !ls.reachable) {
      steps.record("catch-up", start, false,
                   fmt::format("target={} local_offset={} {}", target, ls.offset, ls.summary()));
      return abort(ls.reachable ? "catch-up-timeout" : "local-unreachable");
    }
    std::this_thread::sleep_for(poll_interval);
  }
  steps.record("catch-up", start, true, fmt::format("offset={}", target));

  // 4. Promote the caught-up replica.
  if (!steps.run("promote", [&] { return promote_on(l, overall); }, "role=master")) {
    return abort("promote-failed");
  }
  if (options.config_rewrite) steps.run("config-rewrite", [&] { return config_rewrite(l, overall); });

  // 5. The old master follows the new one. If that fails we leave it paused
  //    (the pause expires by itself) rather than unpause a second writable
  //    master; its own notify handler re-points it as BACKUP.
  start = Clock::now();
  const std::string port = std::to_string(options.local_advertised.port);
  if (auto st = replicaof(p, options.local_advertised.host, port, overall); !st) {
    steps.record("peer-follow", start, false, st.error().message);
    outcome.write_pause = since(pause_start);
    return steps.fail("peer-follow-failed");
  }
  steps.record("peer-follow", start, true, "master=" + options.local_advertised.to_string());
  if (options.config_rewrite) steps.run("peer-config-rewrite", [&] { return config_rewrite(p, overall); });

  // 6. The peer is a replica now (read-only); lift the pause so its readers
  //    and the replication link are not held up.
  steps.run("unpause-peer", [&] { return unpause_writes(p, overall); });
  outcome.write_pause = since(pause_start);
  // The marker came over with the data; the new master drops it for both.
  if (marked) steps.run("unmark", [&] { return delete_marker(l, overall); });
  // 7. Arm the old master's guard from here: the vipkit on its host may be
  //    down (ha/replica_guard.hpp). Its partial sync takes milliseconds; a
  //    failure here is logged and is not the takeover's.
  const auto arm_deadline = std::min<redis::Deadline>(overall, Clock::now() + milliseconds(1000));
  steps.run("arm-peer", [&] { return arm_when_linked(p, arm_deadline); }, "held");
  return steps.succeed();
}

Outcome failover_to(const Target& old_master, const Target& new_master, const FailoverOptions& options) {
  Outcome outcome;
  StepRecorder steps(outcome);
  // The hand-over (PSYNC FAILOVER) after the catch-up has no bound in Redis:
  // the catch-up gets ¾ of ours, the hand-over what is left.
  const milliseconds catch_up = std::max(milliseconds(1), options.timeout * 3 / 4);
  const auto overall = Clock::now() + options.timeout + milliseconds(2000);
  auto oc = steps.connect(old_master, overall);
  if (!oc) return steps.fail("old-master-unreachable");
  redis::Connection& o = oc.value();

  const std::string to = options.new_master_advertised.to_string();
  const auto pause_start = Clock::now();
  auto reply = o.command({"FAILOVER", "TO", options.new_master_advertised.host,
                          std::to_string(options.new_master_advertised.port), "TIMEOUT",
                          std::to_string(catch_up.count())},
                         overall);
  if (!reply) {
    // Refused before anything started ("target ... is not a replica",
    // "requires connected replicas"): no pause was taken.
    steps.record("failover", pause_start, false, reply.error().message);
    return steps.fail("failover-refused");
  }
  steps.record("failover", pause_start, true, fmt::format("to={} timeout_ms={}", to, catch_up.count()));

  auto start = Clock::now();
  const auto wait_deadline = pause_start + options.timeout;
  // The old master hands over only once the replica has *acknowledged* its
  // last byte, and a replica acknowledges once a second by itself (the
  // master may not ask while its clients are paused: GETACK would grow the
  // stream). Asking the replica directly (REPLCONF GETACK, which it answers
  // to its master, not to us) cuts the pause from ~500 ms to a few ms. Best
  // effort: without the connection or the right, Redis still completes.
  auto nudge = redis::Connection::open(new_master.endpoint, new_master.credentials, Clock::now() + milliseconds(200));
  int nudges = 0;
  redis::Result<redis::ReplicationInfo> info = redis::Error{redis::ErrorCode::io, "not polled"};
  for (;;) {
    if (nudge && nudge->send_unanswered({"REPLCONF", "GETACK", "*"}, Clock::now() + milliseconds(100))) ++nudges;
    info = redis::replication_info(o, overall);
    if (!info) break;
    if (info->failover_state == "no-failover" || info->failover_state.empty()) break;
    if (Clock::now() >= wait_deadline) break;
    std::this_thread::sleep_for(milliseconds(2));
  }
  outcome.write_pause = since(pause_start);
  if (!info) {
    steps.record("wait-failover", start, false, info.error().message);
    return steps.fail("old-master-unreachable");
  }
  if (info->failover_state != "no-failover" && !info->failover_state.empty()) {
    steps.record("wait-failover", start, false,
                 fmt::format("master_failover_state={} after {} ms", info->failover_state, since(pause_start).count()));
    // FAILOVER ABORT: Redis unpauses and, if it had already demoted itself,
    // becomes a master again (abortFailover).
    steps.run("failover-abort", [&] { return redis::failover_abort(o, Clock::now() + milliseconds(1000)); });
    outcome.write_pause = since(pause_start);
    return steps.fail("failover-timeout");
  }
  if (info->role != redis::Role::replica) {
    // Redis gave up by itself: the replica did not catch up within TIMEOUT,
    // or rejected the hand-over. It is a master again, writes unpaused.
    steps.record("wait-failover", start, false, "aborted by Redis: the old master is still a master");
    return steps.fail("failover-aborted");
  }
  steps.record("wait-failover", start, true,
               fmt::format("old_master=replica of {}:{} write_pause_ms={} getack={}", info->master_host,
                           info->master_port, outcome.write_pause->count(), nudges));

  // PSYNC FAILOVER made the target a master before the old one saw it accepted.
  start = Clock::now();
  const NodeState n = observe(new_master.endpoint, new_master.credentials, overall);
  if (!n.is_master()) {
    steps.record("check-new-master", start, false, n.summary());
    return steps.fail("new-master-not-master");
  }
  steps.record("check-new-master", start, true, n.summary());
  return steps.succeed();
}

Outcome fence(const Target& local, milliseconds duration, milliseconds timeout) {
  Outcome outcome;
  StepRecorder steps(outcome);
  const auto deadline = Clock::now() + timeout;
  auto c = steps.connect(local, deadline);
  if (!c) return steps.fail_connect(c.error());
  if (!steps.run("fence", [&] { return pause_writes(c.value(), duration, deadline); },
                 fmt::format("pause_ms={}", duration.count()))) {
    return steps.fail("fence-failed");
  }
  return steps.succeed();
}

namespace {

// One exchange with the local node, recorded as one step named `name`;
// `failure` is the outcome's reason when it fails.
template <class Exchange>
Outcome one_step(const Target& local, milliseconds timeout, const char* name, const char* failure,
                 Exchange&& exchange) {
  Outcome outcome;
  StepRecorder steps(outcome);
  const auto deadline = Clock::now() + timeout;
  auto c = steps.connect(local, deadline);
  if (!c) return steps.fail_connect(c.error());
  if (!steps.run(name, [&] { return exchange(c.value(), deadline); })) return steps.fail(failure);
  return steps.succeed();
}

}  // namespace

Outcome unfence(const Target& local, milliseconds timeout) {
  return one_step(local, timeout, "unfence", "unfence-failed",
                  [](redis::Connection& c, redis::Deadline deadline) { return unpause_writes(c, deadline); });
}

Outcome drop_marker(const Target& local, milliseconds timeout) {
  return one_step(local, timeout, "drop-marker", "drop-marker-failed",
                  [](redis::Connection& c, redis::Deadline deadline) { return delete_marker(c, deadline); });
}

}  // namespace vipkit::ha
