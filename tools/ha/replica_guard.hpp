#pragma once
// The replica guard: when to hold a replica and when to let it sync again
// (redis/replica_hold.hpp says how and why). vip-notify --fifo runs it for
// each configured instance every `hold-watch-ms` (100 by default), vipd at
// every health check.
//
//  local                                  peer                       -> action
//  not a replica, held                    any                        -> release (promoted: tidy)
//  replica, not held, link up             any                        -> hold (arm)
//  replica, held, link up or syncing      any                        -> none (armed)
//  replica, held, link down               healthy master covering it -> release
//  replica, held, link down               anything else              -> none (stay held)
//  replica, not held, link down, it had   down or loading            -> hold (arm-master-down)
//    a link since it started, has keys
//  replica, not held, link down           any other                  -> none (not armed: Redis syncs it)
//
// Arming a linked replica is what makes the guard structural: the link it
// has goes on (it is authenticated already), and when it drops, Redis's
// reconnect fails until vipkit has looked at the master, even if vipkit is
// not running at that moment (a replica then waits for it: safe, and seen in
// vip-check and the metrics as a link down).
//
// Arming while the master is down covers the replica that vipkit never saw
// linked: it synced while vip-notify was stopped with its keepalived, then
// its master died, and vip-notify came back before the master did (the chaos
// soak lost 10,360 replicated acks that way: the master returned empty and
// Redis's own reconnect replaced the replica's data). Its data is the dead
// master's history up to the link loss, more than a restarted master can
// hold (a restart takes a new replid), so it is the copy to keep. A replica
// that has had no link since it started (Redis reports -1: a cold start from
// its own RDB, whose age against the master's is unknown) is still left to
// Redis, as is one whose master is up: that is vipkit's own re-point, or a
// master vipkit has looked at.
//
// "Covering": the master's history holds everything the replica holds
// (ha/history.hpp). A held replica whose master does not cover it holds
// acknowledged writes that exist nowhere else: the eligibility rules move the
// VIP to it (replica-holds-more), and its promotion releases the hold.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "ha/node_state.hpp"
#include "ha/procedures.hpp"
#include "redis/connection.hpp"

namespace vipkit::ha {

enum class GuardAction { none, hold, release };
std::string_view to_token(GuardAction action);

struct GuardDecision {
  GuardAction action = GuardAction::none;
  std::string reason;
  bool operator==(const GuardDecision&) const = default;
};

// `peer` is the node the replica follows, as observed now (unreachable
// when down); guard_round probes it whenever a rule reads it.
GuardDecision decide_guard(const NodeState& local, bool held, const NodeState& peer);
// Redis has had a link to a master since it started (master_link_down_since_seconds >= 0).
bool had_link_since_start(const NodeState& local);

// One round: observe the local node (on `local_connection`, opened when
// missing and dropped after a failure) and, when the decision needs it, the
// peer; then hold or release. The decision is returned for the caller's log
// (nullopt: the local node could not be looked at).
struct GuardRound {
  GuardDecision decision;
  bool applied = true;     // the CONFIG SET worked (or nothing was to be done)
  std::string error;       // why not
};
std::optional<GuardRound> guard_round(const Target& local, std::optional<redis::Connection>& local_connection,
                                      const Target& peer, std::chrono::milliseconds timeout);

// Arms a replica that vipkit has just pointed at a master from another host
// (a takeover's old master), as soon as its link is up, rather than leaving
// it to that host's own guard: the vipkit there may not be running
// (keepalived stopped on that host; the chaos soak lost 192 replicated acks
// that way when the new master then restarted empty). Waits for the link
// until `deadline`; a replica still syncing then is left to its own guard.
redis::Status arm_when_linked(redis::Connection& c, redis::Deadline deadline);

}  // namespace vipkit::ha
