#pragma once
// Apply a VRRP state to the local Redis: observe the local node and the peer
// now, decide (ha::decide), execute the plan, and report it as one log line
// plus one transition in STATE_DIR/NAME.json. One copy, used by vip-notify
// (for keepalived's events) and by vipd (in-process, for its own state):
// both act on what they observe, never on what an event claims.
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/instance_config.hpp"
#include "common/log.hpp"
#include "common/preference.hpp"
#include "ha/plan.hpp"
#include "ha/procedures.hpp"

namespace vipkit::common {

struct Observation {
  ha::NodeState local;
  ha::NodeState peer;
  std::optional<bool> vip_local;  // nullopt: no --vip configured (vipd knows its own state)
  // Two masters of one forked history: what each accepted past the fork.
  std::optional<ha::Divergence> divergence;
  std::string divergence_error;   // why it could not be replayed, when it was tried
};

// Replay both backlogs past their fork when local and peer are two masters
// of one forked history (ha/divergence_probe.hpp); sets o.divergence or
// o.divergence_error.
void observe_divergence(const InstanceConfig& config, Observation& o);

// Connect and observe the local Redis and the peer, each within the
// configured timeout, and look whether the --vip is on a local interface.
Observation observe_now(const InstanceConfig& config);

ha::Plan decide(const InstanceConfig& config, ha::VrrpState state, const Observation& seen);

// A planned switchover (vipctl's marker on either node) names the node that
// should keep the master role: move this host's preference file towards it
// (common/preference.hpp), so the role stays where vipctl put it once the
// marker is gone. Logs the change; the new value when the file changed.
// `preference` is the process's one writer of config.prefer_file.
std::optional<int> follow_switchover(const InstanceConfig& config, PreferenceFile& preference,
                                     const Observation& seen, const Logger& log);

struct Execution {
  ha::Outcome outcome;
  std::string snapshot;  // path of the RDB copy, when one was made
};

// Run the plan's procedure, then lift the local fence when the plan says so
// (a failed CLIENT UNPAUSE fails the execution: "unfence-failed").
Execution execute(const InstanceConfig& config, const ha::Plan& plan, const Observation& seen);

// One application of a state, as reported.
struct Applied {
  ha::VrrpState state = ha::VrrpState::backup;
  std::string source;             // "explicit", "fifo", "reconcile", "vipd", ...
  std::optional<int> priority;    // the VRRP priority, when the caller knows it
  Observation seen;
  ha::Plan plan;
  Execution execution;
  std::chrono::milliseconds elapsed{0};
  bool gave_up = false;           // waited for the peer, in vain
  std::chrono::milliseconds waited{0};
  bool wait_is_failure = false;   // explicit form: still waiting at the end is a failure
};

// A node as the state file and vipd's status show it.
nlohmann::json node_json(const ha::NodeState& node);

bool failed(const Applied& applied);
// ok | failed | refused | waiting | gave-up
std::string result_token(const Applied& applied);

// "ACTION instance=… state=… source=… reason=… result=… duration_ms=… local=… peer=…"
std::string log_line(const std::string& instance, const Applied& applied);
// The state file's record of it.
nlohmann::json transition_json(const std::string& instance, const Applied& applied);

// A routine re-application (reconcile): nothing/wait, or the same plan as
// last time, is not news — it is logged at debug level and not recorded, so
// a quiet system stays quiet.
bool is_routine_repeat(const ha::Plan& plan, const std::optional<ha::Plan>& previous);

// Log the line (error level when it failed) and record the transition;
// `quiet`: debug line only, nothing recorded.
void report(const InstanceConfig& config, const Applied& applied, const Logger& log, bool quiet);

struct ApplyRequest {
  ha::VrrpState state = ha::VrrpState::backup;
  std::string source;                 // "explicit", "fifo", "reconcile", "vipd", ...
  std::optional<int> priority;        // recorded with the transition
  bool routine = false;               // a reconcile pass: a repeat of `previous` is quiet
  std::optional<ha::Plan> previous;
  // While the plan is "wait" (a BACKUP whose peer is not a master yet), keep
  // observing and deciding until then, without holding the lock in between
  // so that a MASTER event never queues behind the wait; still waiting at
  // the end is a failure (gave-up).
  std::optional<std::chrono::steady_clock::time_point> wait_until;
  // Checked before each retry of the wait: a newer event owns the instance.
  std::function<bool()> superseded;
  // This process's one writer of the preference file (follows a switchover
  // marker); nullptr: not followed.
  PreferenceFile* preference = nullptr;
};

struct ApplyResult {
  Applied applied;
  bool lock_failed = false;
  bool superseded = false;
  std::optional<int> preference;  // the preference file followed a switchover marker to this value
  bool yield_cleared = false;     // the yield-file went from 1 to 0 (common/flag_file.hpp)
};

// The one way to apply a state (vip-notify and vipd). Under the instance
// lock, held from the observation to the end of the execution: observe, follow
// a switchover marker (preference file), then decide, execute, and report
// (quietly when routine and nothing new).
ApplyResult apply_once(const InstanceConfig& config, const ApplyRequest& request, const Logger& log);

// What an application did to Redis, for the metrics (vipd's and vip-notify
// --fifo's vipkit_failover_actions_total): the action's token and "ok" or
// the failure's reason token. nullopt when it did nothing new: "nothing",
// "wait", a routine re-apply of the same plan that succeeded again (what
// apply_once logs at debug level only), a lock not taken, or an application
// a newer event superseded.
std::optional<std::pair<std::string, std::string>> counted_action(const ApplyRequest& request,
                                                                  const ApplyResult& result);

}  // namespace vipkit::common
