#include "common/health_probe.hpp"

#include "ha/divergence.hpp"
#include "ha/observe.hpp"

namespace vipkit::common {

namespace {

using Clock = std::chrono::steady_clock;

// Observe through a held connection, (re)opening it when needed; a failure
// drops it so the next call reconnects.
ha::NodeState observe_held(std::optional<redis::Connection>& held, const ha::Target& target,
                           redis::Deadline deadline, int interrupt_fd = -1) {
  if (!held) {
    auto opened = redis::Connection::open(target.endpoint, target.credentials, deadline, interrupt_fd);
    if (!opened) return ha::NodeState::unreachable(opened.error());
    held.emplace(std::move(opened.value()));
  }
  ha::NodeState state = ha::observe(*held, deadline);
  if (!state.reachable) held.reset();
  return state;
}

}  // namespace

ha::NodeState HealthProbe::observe_local() {
  return observe_held(local_, config_.connections.local, Clock::now() + config_.connections.timeout);
}

Observation HealthProbe::observe_pair(ha::NodeState local) {
  Observation seen{std::move(local), {}, std::nullopt, std::nullopt, {}};
  if (!config_.connections.peer) {
    seen.peer = ha::NodeState::unreachable({redis::ErrorCode::unreachable, "no --peer configured"});
    return seen;
  }
  seen.peer =
      observe_held(peer_, *config_.connections.peer, Clock::now() + config_.connections.timeout, peer_interrupt_fd_);
  if (!ha::diverged_masters(seen.local, seen.peer)) return seen;
  const auto now = Clock::now();
  if (auto replay = divergence_memo_.recall(seen.local, seen.peer, now)) {
    seen.divergence = replay->divergence;
    seen.divergence_error = replay->error;
  } else {
    observe_divergence(config_, seen);
    divergence_memo_.remember(seen.local, seen.peer, now, {seen.divergence, seen.divergence_error});
  }
  return seen;
}

}  // namespace vipkit::common
