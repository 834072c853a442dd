#include "vip-notify/handler.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "common/apply.hpp"
#include "common/exit_codes.hpp"
#include "common/instance_lock.hpp"

namespace vipkit::notify {

namespace {

using Clock = std::chrono::steady_clock;
using common::kv_value;

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

  common::Applied applied;
  applied.state = event.state;
  applied.source = event.source;
  applied.priority = event.priority;
  applied.wait_is_failure = options.wait_for_peer;
  applied.seen = common::observe_now(c);
  common::PreferenceFile preference(c.prefer_file);  // this process's one writer: events are handled one by one
  common::follow_switchover(c, preference, applied.seen, log);
  applied.plan = common::decide(c, event.state, applied.seen);
  // BACKUP at startup: the peer may become master in a moment. Wait for it
  // without holding the lock (a MASTER event must not queue behind us).
  if (applied.plan.action == ha::Action::wait && options.wait_for_peer && event.state != ha::VrrpState::master) {
    log->info("waiting instance={} state={} reason={} wait_ms={}", c.instance, state, applied.plan.reason,
              c.wait_peer.count());
    auto held = std::optional<common::InstanceLock>(std::move(lock.value()));
    while (applied.plan.action == ha::Action::wait) {
      if (Clock::now() >= wait_until) {
        applied.gave_up = true;
        applied.waited = c.wait_peer;
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
      applied.seen = common::observe_now(c);
      applied.plan = common::decide(c, event.state, applied.seen);
    }
  }

  applied.execution = common::execute(c, event.state, applied.plan, applied.seen);
  applied.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  result.plan = applied.plan;
  result.exit_code = common::failed(applied) ? common::exit_failed : common::exit_ok;
  const bool quiet = options.routine && common::is_routine_repeat(applied.plan, options.previous) &&
                     applied.execution.outcome.ok;
  common::report(c, applied, log, quiet);
  return result;
}

}  // namespace vipkit::notify
