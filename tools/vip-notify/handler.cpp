#include "vip-notify/handler.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "common/apply.hpp"
#include "common/exit_codes.hpp"

namespace vipkit::notify {

namespace {

using Clock = std::chrono::steady_clock;

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
  common::ApplyRequest request;
  request.state = event.state;
  request.source = event.source;
  request.priority = event.priority;
  request.routine = options.routine;
  request.previous = options.previous;
  if (!options.routine) {
    // Every event names itself the newest; a waiting handler yields to it.
    const std::string token = write_event_token(c);
    request.superseded = [&c, token] { return superseded(c, token); };
  }
  // BACKUP at startup: the peer may become master in a moment.
  if (options.wait_for_peer && event.state != ha::VrrpState::master) {
    request.wait_until = Clock::now() + c.wait_peer;
  }
  common::PreferenceFile preference(c.prefer_file);  // this process's one writer: events are handled one by one
  request.preference = &preference;
  const common::ApplyResult applied = common::apply_once(c, request, log);
  HandleResult result;
  result.plan = applied.applied.plan;
  result.resign_advert = applied.yield_cleared && applied.applied.seen.vip_local == false;
  result.action = common::counted_action(request, applied);
  if (applied.superseded) return result;
  result.exit_code =
      applied.lock_failed || common::failed(applied.applied) ? common::exit_failed : common::exit_ok;
  return result;
}

}  // namespace vipkit::notify
