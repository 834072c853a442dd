#include "vip-notify/handler.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/exit_codes.hpp"
#include "common/instance_lock.hpp"
#include "common/local_address.hpp"
#include "common/preference.hpp"
#include "common/state_file.hpp"
#include "ha/observe.hpp"
#include "ha/procedures.hpp"
#include "ha/snapshot.hpp"

namespace vipkit::notify {

namespace {

using Clock = std::chrono::steady_clock;
using common::kv_value;

struct Observation {
  ha::NodeState local;
  ha::NodeState peer;
  std::optional<bool> vip_local;
};

Observation observe_now(const common::InstanceConfig& c) {
  Observation o;
  const auto& conn = c.connections;
  o.local = ha::observe(conn.local.endpoint, conn.local.credentials, Clock::now() + conn.timeout);
  if (conn.peer) {
    o.peer = ha::observe(conn.peer->endpoint, conn.peer->credentials, Clock::now() + conn.timeout);
  } else {
    o.peer = ha::NodeState::unreachable({redis::ErrorCode::unreachable, "no --peer configured"});
  }
  if (conn.vip) {
    auto here = common::is_local_address(*conn.vip);
    if (here) o.vip_local = here.value();
  }
  return o;
}

// A token naming the newest event for an instance. A handler that waits for
// the peer gives up as soon as a newer event has arrived: that one owns the
// instance now.
std::string event_token_path(const common::InstanceConfig& c) { return c.state_dir + "/" + c.instance + ".event"; }

std::string write_event_token(const common::InstanceConfig& c) {
  const std::string token = fmt::format(
      "{}:{}", ::getpid(), std::chrono::system_clock::now().time_since_epoch().count());
  std::ofstream(event_token_path(c), std::ios::trunc) << token << '\n';
  return token;
}

bool superseded(const common::InstanceConfig& c, const std::string& token) {
  std::ifstream in(event_token_path(c));
  std::string current;
  return std::getline(in, current) && current != token;
}

ha::Target self_target(const common::InstanceConfig& c) {
  return ha::Target{*c.self, c.connections.local.credentials};
}

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

struct Execution {
  ha::Outcome outcome;
  std::string snapshot;  // path of the RDB copy, when one was made
};

Execution execute(const common::InstanceConfig& c, const ha::Plan& plan, const Observation& seen) {
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

nlohmann::json node_json(const ha::NodeState& n) {
  if (!n.reachable) return {{"reachable", false}, {"error", n.error ? n.error->message : ""}};
  return {{"reachable", true},         {"role", std::string(redis::to_token(n.role))},
          {"replid", n.replid},        {"offset", n.offset},
          {"dbsize", n.dbsize},        {"loading", n.loading},
          {"link_up", n.link_up},      {"master", n.master_host.empty() ? "" : fmt::format("{}:{}", n.master_host, n.master_port)}};
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// A planned switchover names the node that should keep the master role:
// move this host's preference (keepalived's track_file) accordingly, so the
// role stays where vipctl put it after the marker is gone.
void follow_switchover(const common::InstanceConfig& c, const Observation& o, const common::Logger& log) {
  const auto& marker = o.local.switchover ? o.local.switchover : o.peer.switchover;
  if (!marker || !c.connections.peer) return;
  auto change = common::follow_marker(c.prefer_file, *marker, c.self, c.connections.peer->endpoint);
  if (!change) {
    log->error("preference-failed instance={} file={} error={}", c.instance, c.prefer_file,
               kv_value(change.error().message));
  } else if (change.value()) {
    log->info("preference instance={} from={} to={} switchover_to={} file={}", c.instance, change.value()->from,
              change.value()->to, marker->to, c.prefer_file);
  }
}

bool is_routine_repeat(const HandleOptions& options, const ha::Plan& plan) {
  if (!options.routine) return false;
  if (plan.action == ha::Action::nothing || plan.action == ha::Action::wait) return true;
  return options.previous && options.previous->action == plan.action &&
         options.previous->reason == plan.reason;
}

}  // namespace

HandleResult handle_event(const common::InstanceConfig& c, const Event& event, const common::Logger& log,
                          const HandleOptions& options) {
  HandleResult result;
  const auto started = Clock::now();
  const auto wait_until = started + c.wait_peer;
  const std::string state = std::string(ha::to_token(event.state));

  auto lock = common::InstanceLock::acquire(c.state_dir, c.instance, c.lock_wait);
  if (!lock) {
    log->error("lock-failed instance={} state={} error={}", c.instance, state, kv_value(lock.error().message));
    result.exit_code = common::exit_failed;
    result.plan = {ha::Action::refuse, "lock-failed"};
    return result;
  }
  const std::string token = options.routine ? std::string() : write_event_token(c);

  const redis::Endpoint peer_endpoint = c.connections.peer ? c.connections.peer->endpoint : redis::Endpoint{};
  auto decide = [&](const Observation& o) {
    return ha::decide({event.state, o.local, o.peer, peer_endpoint, o.vip_local}, c.policy);
  };
  Observation seen = observe_now(c);
  follow_switchover(c, seen, log);
  ha::Plan plan = decide(seen);
  // BACKUP at startup: the peer may become master in a moment. Wait for it
  // without holding the lock (a MASTER event must not queue behind us).
  bool gave_up = false;
  if (plan.action == ha::Action::wait && options.wait_for_peer && event.state != ha::VrrpState::master) {
    log->info("waiting instance={} state={} reason={} wait_ms={}", c.instance, state, plan.reason,
              c.wait_peer.count());
    auto held = std::optional<common::InstanceLock>(std::move(lock.value()));
    while (plan.action == ha::Action::wait) {
      if (Clock::now() >= wait_until) {
        gave_up = true;
        break;
      }
      held.reset();
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      auto again = common::InstanceLock::acquire(c.state_dir, c.instance, c.lock_wait);
      if (!again) continue;
      held.emplace(std::move(again.value()));
      if (superseded(c, token)) {
        log->info("superseded instance={} state={} reason=newer-event", c.instance, state);
        result.plan = {ha::Action::nothing, "superseded"};
        return result;
      }
      seen = observe_now(c);
      plan = decide(seen);
    }
  }

  const Execution ex = execute(c, plan, seen);
  // A node that is MASTER again lifts a fence set while it was not.
  if (c.policy.fence && event.state == ha::VrrpState::master && seen.local.is_master() && ex.outcome.ok) {
    ha::unfence(c.connections.local, c.connections.timeout);
  }
  result.plan = plan;
  const bool failed = !ex.outcome.ok || plan.action == ha::Action::refuse ||
                      (plan.action == ha::Action::wait && options.wait_for_peer);
  result.exit_code = failed ? common::exit_failed : common::exit_ok;
  const std::string outcome_text = plan.action == ha::Action::refuse ? "refused"
                                   : gave_up                        ? "gave-up"
                                   : plan.action == ha::Action::wait ? "waiting"
                                   : ex.outcome.ok                  ? "ok"
                                                                    : "failed";
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);

  std::string line = fmt::format(
      "{} instance={} state={} source={} reason={} result={} duration_ms={} local={} peer={}",
      ha::to_token(plan.action), c.instance, state, event.source, plan.reason, outcome_text,
      elapsed.count(), kv_value(seen.local.summary()), kv_value(seen.peer.summary()));
  if (!ex.outcome.steps.empty()) line += " steps=" + steps_text(ex.outcome);
  if (ex.outcome.write_pause) line += fmt::format(" write_pause_ms={}", ex.outcome.write_pause->count());
  if (!ex.snapshot.empty()) line += " snapshot=" + kv_value(ex.snapshot);
  if (!ex.outcome.ok && plan.action != ha::Action::refuse) line += " error=" + kv_value(failure_detail(ex.outcome));
  if (gave_up) line += fmt::format(" waited_ms={}", c.wait_peer.count());

  const bool quiet = is_routine_repeat(options, plan) && ex.outcome.ok;
  if (quiet) {
    log->debug(line);
    return result;
  }
  if (failed) {
    log->error(line);
  } else {
    log->info(line);
  }

  nlohmann::json transition = {
      {"time", utc_now()},
      {"instance", c.instance},
      {"state", state},
      {"source", event.source},
      {"action", std::string(ha::to_token(plan.action))},
      {"reason", plan.reason},
      {"result", outcome_text},
      {"duration_ms", elapsed.count()},
      {"local", node_json(seen.local)},
      {"peer", node_json(seen.peer)},
  };
  if (event.priority) transition["priority"] = *event.priority;
  if (seen.vip_local) transition["vip_local"] = *seen.vip_local;
  if (!ex.snapshot.empty()) transition["snapshot"] = ex.snapshot;
  if (ex.outcome.write_pause) transition["write_pause_ms"] = ex.outcome.write_pause->count();
  if (!ex.outcome.ok && plan.action != ha::Action::refuse) transition["error"] = failure_detail(ex.outcome);
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : ex.outcome.steps) {
    steps.push_back({{"name", s.name}, {"ok", s.ok}, {"ms", s.duration.count()}, {"detail", s.detail}});
  }
  transition["steps"] = steps;
  if (auto st = common::record_transition(c.state_dir, c.instance, transition); !st) {
    log->warn("state-file-failed instance={} error={}", c.instance, kv_value(st.error().message));
  }
  return result;
}

}  // namespace vipkit::notify
