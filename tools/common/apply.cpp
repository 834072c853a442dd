#include "common/apply.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <ctime>
#include <thread>

#include "common/instance_lock.hpp"
#include "common/local_address.hpp"
#include "common/preference.hpp"
#include "common/state_file.hpp"
#include "common/flag_file.hpp"
#include "ha/divergence_probe.hpp"
#include "ha/observe.hpp"
#include "ha/snapshot.hpp"

namespace vipkit::common {

namespace {

using Clock = std::chrono::steady_clock;

ha::Target self_target(const InstanceConfig& c) { return ha::Target{c.self.value(), c.connections.local.credentials}; }

std::string steps_text(const ha::Outcome& outcome) {
  std::string text;
  for (const auto& s : outcome.steps) {
    if (!text.empty()) text += ',';
    text += fmt::format("{}:{}:{}ms", s.name, s.ok ? "ok" : "failed", s.duration.count());
  }
  return text;
}

std::string failure_detail(const ha::Outcome& outcome) {
  for (const auto& s : outcome.steps) {
    if (!s.ok) return s.name + ": " + s.detail;
  }
  return outcome.reason;
}

Execution run_plan(const InstanceConfig& c, const ha::Plan& plan, const Observation& seen) {
  Execution ex;
  const auto& local = c.connections.local;
  const auto timeout = c.connections.timeout;
  switch (plan.action) {
    case ha::Action::nothing:
    case ha::Action::wait:
      ex.outcome.ok = true;
      return ex;
    case ha::Action::refuse:
      ex.outcome.ok = false;
      ex.outcome.reason = plan.reason;
      return ex;
    case ha::Action::promote:
      ex.outcome = ha::promote(local, c.config_rewrite, timeout);
      return ex;
    case ha::Action::takeover: {
      // decide() refuses takeover and peer-follow without --self.
      ha::TakeoverOptions options;
      options.sync_wait = c.sync_wait;
      options.pause = c.takeover_pause;
      options.config_rewrite = c.config_rewrite;
      options.local_advertised = c.self.value();
      options.mark_by = c.instance + " pid=" + std::to_string(::getpid());
      ex.outcome = ha::takeover(local, *c.connections.peer, options);
      return ex;
    }
    case ha::Action::repoint:
      ex.outcome = ha::repoint(local, *c.connections.peer, c.config_rewrite, timeout);
      return ex;
    case ha::Action::snapshot_repoint: {
      auto snap = ha::snapshot(local, seen.local, c.instance, c.backup_dir,
                               c.connections.peer->endpoint.to_string(), c.snapshot_timeout);
      if (!snap.outcome.ok) {
        ex.outcome = snap.outcome;  // no copy, no re-point: the data stays where it is
        return ex;
      }
      ex.snapshot = snap.rdb_path;
      ex.outcome = ha::repoint(local, *c.connections.peer, c.config_rewrite, timeout);
      ex.outcome.steps.insert(ex.outcome.steps.begin(), snap.outcome.steps.begin(), snap.outcome.steps.end());
      return ex;
    }
    case ha::Action::peer_follow: {
      ex.outcome = ha::repoint(*c.connections.peer, self_target(c), c.config_rewrite, timeout);
      if (!ex.outcome.ok) return ex;
      // The peer is our replica now: a write pause on it (its own fence, or
      // our fence-peer) would only hold its clients until they time out;
      // unpaused, they get READONLY at once and retry through the VIP.
      const ha::Outcome unpaused = ha::unfence(*c.connections.peer, timeout);
      for (auto step : unpaused.steps) {
        step.name = "unpause-peer";
        ex.outcome.steps.push_back(std::move(step));
      }
      return ex;
    }
    case ha::Action::fence:
      ex.outcome = ha::fence(local, c.fence_duration, timeout);
      return ex;
    case ha::Action::fence_peer:
      ex.outcome = ha::fence(*c.connections.peer, c.fence_duration, timeout);
      return ex;
  }
  return ex;
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool execution_failed(const Applied& a) {
  return !a.execution.outcome.ok && a.plan.action != ha::Action::refuse;
}

}  // namespace

Observation observe_now(const InstanceConfig& c) {
  Observation o;
  const auto& conn = c.connections;
  o.local = ha::observe(conn.local.endpoint, conn.local.credentials, Clock::now() + conn.timeout);
  if (conn.peer) {
    o.peer = ha::observe(conn.peer->endpoint, conn.peer->credentials, Clock::now() + conn.timeout);
  } else {
    o.peer = ha::NodeState::unreachable({redis::ErrorCode::unreachable, "no --peer configured"});
  }
  if (conn.vip) {
    auto here = is_local_address(*conn.vip);
    if (here) o.vip_local = here.value();
  }
  observe_divergence(c, o);
  return o;
}

void observe_divergence(const InstanceConfig& c, Observation& o) {
  if (!c.connections.peer || !ha::diverged_masters(o.local, o.peer)) return;
  auto d = ha::observe_divergence(c.connections.local, o.local, *c.connections.peer, o.peer, c.connections.timeout);
  if (d) {
    o.divergence = d.value();
  } else {
    o.divergence_error = d.error().message;
  }
}

ha::Plan decide(const InstanceConfig& c, ha::VrrpState state, const Observation& seen) {
  const redis::Endpoint peer_endpoint = c.connections.peer ? c.connections.peer->endpoint : redis::Endpoint{};
  return ha::decide({state, seen.local, seen.peer, peer_endpoint, seen.vip_local, c.self.has_value(), seen.divergence},
                    c.policy);
}

Execution execute(const InstanceConfig& c, const ha::Plan& plan, const Observation& seen) {
  Execution ex = run_plan(c, plan, seen);
  if (plan.drop_marker && ex.outcome.ok) {
    // Not a failure when it fails: the copy expires by itself (its step says so).
    const ha::Outcome dropped = ha::drop_marker(c.connections.local, c.connections.timeout);
    ex.outcome.steps.insert(ex.outcome.steps.end(), dropped.steps.begin(), dropped.steps.end());
  }
  if (!plan.lift_fence || !ex.outcome.ok) return ex;
  const ha::Outcome unfenced = ha::unfence(c.connections.local, c.connections.timeout);
  ex.outcome.steps.insert(ex.outcome.steps.end(), unfenced.steps.begin(), unfenced.steps.end());
  if (!unfenced.ok) {
    ex.outcome.ok = false;
    ex.outcome.reason = unfenced.reason;
  }
  return ex;
}

nlohmann::json node_json(const ha::NodeState& n) {
  if (!n.reachable) return {{"reachable", false}, {"error", n.error ? n.error->message : ""}};
  return {{"reachable", true},         {"role", std::string(redis::to_token(n.role))},
          {"replid", n.replid},        {"offset", n.offset},
          {"dbsize", n.dbsize},        {"loading", n.loading},
          {"link_up", n.link_up},      {"master", n.master_host.empty() ? "" : fmt::format("{}:{}", n.master_host, n.master_port)}};
}

namespace {

// One log line for a preference file update, whoever asked for it: `why` is
// the key=value saying so. The new value when the file changed.
std::optional<int> report_preference(const InstanceConfig& c,
                                     const IoResult<std::optional<PreferenceChange>>& change,
                                     const std::string& why, const Logger& log) {
  if (!change) {
    log->error("preference-failed instance={} file={} error={}", c.instance, c.prefer_file,
               kv_value(change.error().message));
    return std::nullopt;
  }
  if (!change.value()) return std::nullopt;
  log->info("preference instance={} from={} to={} {} file={}", c.instance, change.value()->from,
            change.value()->to, why, c.prefer_file);
  return change.value()->to;
}

}  // namespace

std::optional<int> follow_switchover(const InstanceConfig& c, PreferenceFile& preference, const Observation& o,
                                     const Logger& log) {
  const auto& marker = o.local.switchover ? o.local.switchover : o.peer.switchover;
  if (!marker || !c.connections.peer || marker->op == ha::takeover_op) return std::nullopt;
  return report_preference(c, preference.follow_marker(*marker, c.self, c.connections.peer->endpoint),
                           "switchover_to=" + marker->to, log);
}

namespace {

// Plan::claim_role: this host's preference to "promoted", as a vipctl
// promote here would (docs/decisions.md, "Two masters").
std::optional<int> claim_role(const InstanceConfig& c, PreferenceFile& preference, const ha::Plan& plan,
                              const Logger& log) {
  // Every pass of a dual master asks again: a plain read (the file is
  // replaced by rename) spares the lock while the claim already stands.
  if (auto current = preference.read(); current && current.value() == preference_promoted) return std::nullopt;
  return report_preference(c, if_changed(preference.write(preference_promoted)), "reason=" + plan.reason, log);
}

// Plan::yield_vip, to keepalived's yield track_file (common/flag_file.hpp):
// set by a pass that finds this host behind with the VIP, cleared by the
// first pass that does not (after the snapshot and re-point of its FAULT
// event, usually).
// True when this pass cleared it.
bool set_yield(const InstanceConfig& c, const ha::Plan& plan, const Logger& log) {
  auto written = set_flag_file(c.yield_file, plan.yield_vip);
  if (!written) {
    log->error("yield-failed instance={} file={} error={}", c.instance, c.yield_file, kv_value(written.error().message));
    return false;
  }
  if (!written.value()) return false;
  log->info("yield instance={} value={} reason={} file={}", c.instance, plan.yield_vip ? 1 : 0, plan.reason,
            c.yield_file);
  return !plan.yield_vip;
}

}  // namespace

bool failed(const Applied& a) {
  return !a.execution.outcome.ok || a.plan.action == ha::Action::refuse ||
         (a.plan.action == ha::Action::wait && a.wait_is_failure);
}

std::string result_token(const Applied& a) {
  if (a.plan.action == ha::Action::refuse) return "refused";
  if (a.gave_up) return "gave-up";
  if (a.plan.action == ha::Action::wait) return "waiting";
  return a.execution.outcome.ok ? "ok" : "failed";
}

std::string log_line(const std::string& instance, const Applied& a) {
  const auto& outcome = a.execution.outcome;
  std::string line = fmt::format(
      "{} instance={} state={} source={} reason={} result={} duration_ms={} local={} peer={}",
      ha::to_token(a.plan.action), instance, ha::to_token(a.state), a.source, a.plan.reason, result_token(a),
      a.elapsed.count(), kv_value(a.seen.local.summary()), kv_value(a.seen.peer.summary()));
  if (const auto& d = a.seen.divergence) {
    line += fmt::format(" fork_offset={} lead={} local_past_fork={}/{}B peer_past_fork={}/{}B", d->fork.offset,
                        ha::to_token(ha::lead_of(*d)), d->local.data_commands, d->local.data_bytes,
                        d->peer.data_commands, d->peer.data_bytes);
  } else if (!a.seen.divergence_error.empty()) {
    line += " divergence_error=" + kv_value(a.seen.divergence_error);
  }
  if (!outcome.steps.empty()) line += " steps=" + steps_text(outcome);
  if (outcome.write_pause) line += fmt::format(" write_pause_ms={}", outcome.write_pause->count());
  if (!a.execution.snapshot.empty()) line += " snapshot=" + kv_value(a.execution.snapshot);
  if (execution_failed(a)) line += " error=" + kv_value(failure_detail(outcome));
  if (a.gave_up) line += fmt::format(" waited_ms={}", a.waited.count());
  return line;
}

nlohmann::json transition_json(const std::string& instance, const Applied& a) {
  const auto& outcome = a.execution.outcome;
  nlohmann::json transition = {
      {"time", utc_now()},
      {"instance", instance},
      {"state", std::string(ha::to_token(a.state))},
      {"source", a.source},
      {"action", std::string(ha::to_token(a.plan.action))},
      {"reason", a.plan.reason},
      {"result", result_token(a)},
      {"duration_ms", a.elapsed.count()},
      {"local", node_json(a.seen.local)},
      {"peer", node_json(a.seen.peer)},
  };
  if (a.priority) transition["priority"] = *a.priority;
  if (a.seen.vip_local) transition["vip_local"] = *a.seen.vip_local;
  if (const auto& d = a.seen.divergence) {
    auto side = [](const ha::PastFork& p) {
      return nlohmann::json{{"span", p.span},          {"bytes", p.bytes},
                            {"data_bytes", p.data_bytes}, {"data_commands", p.data_commands},
                            {"complete", p.complete}};
    };
    transition["divergence"] = {{"fork_replid", d->fork.replid}, {"fork_offset", d->fork.offset},
                                {"lead", std::string(ha::to_token(ha::lead_of(*d)))},
                                {"local", side(d->local)},       {"peer", side(d->peer)}};
  }
  if (!a.execution.snapshot.empty()) transition["snapshot"] = a.execution.snapshot;
  if (outcome.write_pause) transition["write_pause_ms"] = outcome.write_pause->count();
  if (execution_failed(a)) transition["error"] = failure_detail(outcome);
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : outcome.steps) {
    steps.push_back({{"name", s.name}, {"ok", s.ok}, {"ms", s.duration.count()}, {"detail", s.detail}});
  }
  transition["steps"] = steps;
  return transition;
}

bool is_routine_repeat(const ha::Plan& plan, const std::optional<ha::Plan>& previous) {
  if (plan.action == ha::Action::nothing || plan.action == ha::Action::wait) return true;
  return previous && previous->action == plan.action && previous->reason == plan.reason;
}

void report(const InstanceConfig& c, const Applied& a, const Logger& log, bool quiet) {
  const std::string line = log_line(c.instance, a);
  if (quiet) {
    log->debug(line);
    return;
  }
  if (failed(a)) {
    log->error(line);
  } else {
    log->info(line);
  }
  if (auto st = record_transition(c.state_dir, c.instance, transition_json(c.instance, a)); !st) {
    log->warn("state-file-failed instance={} error={}", c.instance, kv_value(st.error().message));
  }
}

ApplyResult apply_once(const InstanceConfig& c, const ApplyRequest& request, const Logger& log) {
  constexpr std::chrono::milliseconds wait_poll{200};
  const auto started = Clock::now();
  const std::string state = std::string(ha::to_token(request.state));
  ApplyResult result;
  Applied& a = result.applied;
  a.state = request.state;
  a.source = request.source;
  a.priority = request.priority;
  a.wait_is_failure = request.wait_until.has_value();
  bool waiting = false;
  for (;;) {
    {
      // One pass holds the lock from the observation to the end of the
      // execution; it is released only while waiting for the peer.
      auto lock = InstanceLock::acquire(c.state_dir, c.instance, c.lock_wait);
      if (!lock && !(waiting && Clock::now() < *request.wait_until)) {
        log->error("lock-failed instance={} state={} error={}", c.instance, state, kv_value(lock.error().message));
        result.lock_failed = true;
        a.plan = {ha::Action::refuse, "lock-failed"};
        return result;
      }
      if (lock) {
        if (waiting && request.superseded && request.superseded()) {
          log->info("superseded instance={} state={} reason=newer-event", c.instance, state);
          result.superseded = true;
          a.plan = {ha::Action::nothing, "superseded"};
          return result;
        }
        a.seen = observe_now(c);
        // The marker's preference first: the file follows a switchover even
        // when there is nothing else to do, and before anything is decided.
        if (request.preference) {
          if (auto moved = follow_switchover(c, *request.preference, a.seen, log)) result.preference = moved;
        }
        a.plan = decide(c, request.state, a.seen);
        if (a.plan.claim_role && request.preference) {
          if (auto moved = claim_role(c, *request.preference, a.plan, log)) result.preference = moved;
        }
        const bool may_wait = a.plan.action == ha::Action::wait && request.wait_until;
        if (!may_wait || Clock::now() >= *request.wait_until) {
          if (may_wait) {
            a.gave_up = true;
            a.waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
          }
          a.execution = execute(c, a.plan, a.seen);
          result.yield_cleared = !c.yield_file.empty() && set_yield(c, a.plan, log);
          a.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
          const bool quiet =
              request.routine && is_routine_repeat(a.plan, request.previous) && a.execution.outcome.ok;
          report(c, a, log, quiet);
          return result;
        }
        if (!waiting) {
          log->info("waiting instance={} state={} reason={} wait_ms={}", c.instance, state, a.plan.reason,
                    std::chrono::duration_cast<std::chrono::milliseconds>(*request.wait_until - started).count());
        }
      }
    }
    waiting = true;
    std::this_thread::sleep_for(wait_poll);
  }
}

std::optional<std::pair<std::string, std::string>> counted_action(const ApplyRequest& request,
                                                                  const ApplyResult& result) {
  const ha::Plan& plan = result.applied.plan;
  if (result.lock_failed || result.superseded) return std::nullopt;
  if (plan.action == ha::Action::nothing || plan.action == ha::Action::wait) return std::nullopt;
  const ha::Outcome& outcome = result.applied.execution.outcome;
  // The rule of apply_once's quiet report: what is counted is what is logged.
  if (request.routine && is_routine_repeat(plan, request.previous) && outcome.ok) return std::nullopt;
  return std::pair<std::string, std::string>{std::string(ha::to_token(plan.action)),
                                             outcome.ok ? "ok" : outcome.reason.empty() ? "failed" : outcome.reason};
}

}  // namespace vipkit::common
