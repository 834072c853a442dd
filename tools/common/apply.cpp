#include "common/apply.hpp"

#include <fmt/format.h>

#include <ctime>

#include "common/local_address.hpp"
#include "common/preference.hpp"
#include "common/state_file.hpp"
#include "ha/observe.hpp"
#include "ha/snapshot.hpp"

namespace vipkit::common {

namespace {

using Clock = std::chrono::steady_clock;

ha::Target self_target(const InstanceConfig& c) { return ha::Target{*c.self, c.connections.local.credentials}; }

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
      if (!c.self) {
        ex.outcome.reason = "self-address-unknown";  // the old master could not be re-pointed to us
        return ex;
      }
      ha::TakeoverOptions options;
      options.sync_wait = c.sync_wait;
      options.pause = c.takeover_pause;
      options.config_rewrite = c.config_rewrite;
      options.local_advertised = *c.self;
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
    case ha::Action::peer_follow:
      if (!c.self) {
        ex.outcome.reason = "self-address-unknown";
        return ex;
      }
      ex.outcome = ha::repoint(*c.connections.peer, self_target(c), c.config_rewrite, timeout);
      return ex;
    case ha::Action::fence:
      ex.outcome = ha::fence(local, c.fence_duration, timeout);
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
  return o;
}

ha::Plan decide(const InstanceConfig& c, ha::VrrpState state, const Observation& seen) {
  const redis::Endpoint peer_endpoint = c.connections.peer ? c.connections.peer->endpoint : redis::Endpoint{};
  return ha::decide({state, seen.local, seen.peer, peer_endpoint, seen.vip_local}, c.policy);
}

Execution execute(const InstanceConfig& c, ha::VrrpState state, const ha::Plan& plan, const Observation& seen) {
  Execution ex = run_plan(c, plan, seen);
  if (c.policy.fence && state == ha::VrrpState::master && seen.local.is_master() && ex.outcome.ok) {
    ha::unfence(c.connections.local, c.connections.timeout);
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

std::optional<int> follow_switchover(const InstanceConfig& c, PreferenceFile& preference, const Observation& o,
                                     const Logger& log) {
  const auto& marker = o.local.switchover ? o.local.switchover : o.peer.switchover;
  if (!marker || !c.connections.peer) return std::nullopt;
  auto change = preference.follow_marker(*marker, c.self, c.connections.peer->endpoint);
  if (!change) {
    log->error("preference-failed instance={} file={} error={}", c.instance, c.prefer_file,
               kv_value(change.error().message));
    return std::nullopt;
  }
  if (!change.value()) return std::nullopt;
  log->info("preference instance={} from={} to={} switchover_to={} file={}", c.instance, change.value()->from,
            change.value()->to, marker->to, c.prefer_file);
  return change.value()->to;
}

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

Applied apply_state(const InstanceConfig& c, ha::VrrpState state, const std::string& source) {
  const auto started = Clock::now();
  Applied a;
  a.state = state;
  a.source = source;
  a.seen = observe_now(c);
  a.plan = decide(c, state, a.seen);
  a.execution = execute(c, state, a.plan, a.seen);
  a.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  return a;
}

}  // namespace vipkit::common
