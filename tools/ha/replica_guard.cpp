#include "ha/replica_guard.hpp"

#include <thread>

#include "ha/history.hpp"
#include "ha/observe.hpp"
#include "redis/replica_hold.hpp"

namespace vipkit::ha {

std::string_view to_token(GuardAction action) {
  switch (action) {
    case GuardAction::none: return "none";
    case GuardAction::hold: return "hold";
    case GuardAction::release: return "release";
  }
  return "none";
}

GuardDecision decide_guard(const NodeState& local, bool held, const NodeState& peer) {
  if (!local.is_replica()) {
    return held && local.is_master() ? GuardDecision{GuardAction::release, "not-a-replica"}
                                     : GuardDecision{GuardAction::none, "not-a-replica"};
  }
  const bool covered = peer.is_healthy_master() && is_covered(coverage_of(local, peer));
  if (held) {
    if (local.link_up || local.sync_in_progress) return {GuardAction::none, "armed"};
    return covered ? GuardDecision{GuardAction::release, "master-covers"}
                   : GuardDecision{GuardAction::none, "held"};
  }
  // Armed while linked: the live link is already authenticated and goes on;
  // only a reconnect would need the AUTH that now fails. So the hold is in
  // place before the link can drop, whether or not vipkit is running then.
  if (local.link_up) return {GuardAction::hold, "arm"};
  // Its master is down (or loading a restart) and it was linked since it
  // started: whatever the master returns with is at most what it had, so
  // hold before Redis's reconnect can replace our data (header: the
  // replica vipkit never saw linked).
  const bool master_down = !peer.reachable || peer.loading;
  if (master_down && had_link_since_start(local) && local.dbsize != 0 && !local.sync_in_progress) {
    return {GuardAction::hold, "arm-master-down"};
  }
  // Never linked since vipkit looked (its first sync, a restart, vipkit
  // down while it was linked): its data is not known to be its master's
  // history, so holding it could keep a stale replica from syncing and, worse,
  // make its old data look newer than the master's. Redis syncs it.
  return {GuardAction::none, "not-armed"};
}

bool had_link_since_start(const NodeState& local) { return local.link_down_since_s >= 0; }

redis::Status arm_when_linked(redis::Connection& c, redis::Deadline deadline) {
  constexpr auto poll_interval = std::chrono::milliseconds(10);
  for (;;) {
    const NodeState state = observe(c, deadline);
    if (!state.reachable) return state.error.value_or(redis::Error{redis::ErrorCode::io, "unreachable"});
    if (!state.is_replica()) return redis::Error{redis::ErrorCode::protocol, "not a replica: " + state.summary()};
    if (state.held) return redis::Done{};  // armed already
    // Armed once linked, never before: holding now would fail the AUTH of
    // the link this re-point is opening.
    if (state.link_up) return redis::hold_replica(c, deadline);
    if (redis::Clock::now() + poll_interval >= deadline) {
      return redis::Error{redis::ErrorCode::timeout, "link not up yet (" + state.summary() + "): its own guard arms it"};
    }
    std::this_thread::sleep_for(poll_interval);
  }
}

std::optional<GuardRound> guard_round(const Target& local, std::optional<redis::Connection>& local_connection,
                                      const Target& peer, std::chrono::milliseconds timeout) {
  const auto deadline = redis::Clock::now() + timeout;
  if (!local_connection) {
    auto opened = redis::Connection::open(local.endpoint, local.credentials, deadline);
    if (!opened) return std::nullopt;
    local_connection.emplace(std::move(opened).value());
  }
  // observe() reads the hold too (NodeState::held), in its one round trip.
  NodeState state = observe(*local_connection, deadline);
  if (!state.reachable) {
    local_connection.reset();
    return std::nullopt;
  }
  // The peer is looked at only when its data can change the answer.
  const bool needs_peer = state.is_replica() && !state.link_up && !state.sync_in_progress &&
                          (state.held || had_link_since_start(state));
  const NodeState peer_state = needs_peer ? observe(peer.endpoint, peer.credentials, deadline)
                                          : NodeState::unreachable({redis::ErrorCode::unreachable, "not probed"});
  GuardRound round{decide_guard(state, state.held, peer_state), true, {}};
  redis::Status applied = redis::Done{};
  if (round.decision.action == GuardAction::hold) applied = redis::hold_replica(*local_connection, deadline);
  if (round.decision.action == GuardAction::release) applied = redis::release_replica(*local_connection, deadline);
  if (!applied) {
    round.applied = false;
    round.error = applied.error().message;
    // A user without CONFIG (NOPERM) cannot be guarded: its failure is
    // reported (once, by the caller) and the connection kept; a lost one
    // is reopened at the next round.
    const redis::ErrorCode code = applied.error().code;
    if (code == redis::ErrorCode::io || code == redis::ErrorCode::timeout) local_connection.reset();
  }
  return round;
}

}  // namespace vipkit::ha
