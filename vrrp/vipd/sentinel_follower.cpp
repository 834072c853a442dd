#include "vrrp/vipd/sentinel_follower.hpp"

#include <poll.h>

#include <algorithm>

#include "ha/sentinel_observe.hpp"
#include "redis/commands.hpp"

namespace vipkit::vipd {

using Clock = std::chrono::steady_clock;
using common::kv_value;

SentinelFollower::SentinelFollower(const VipdConfig& config, common::Logger log, vrrp::sys::Wakeup& wakeup)
    : config_(config), sentinel_(*config.sentinel), log_(std::move(log)), wakeup_(wakeup) {}

SentinelFollower::~SentinelFollower() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  if (wake_fd_) wake_fd_->notify();
  if (thread_.joinable()) thread_.join();
}

vrrp::sys::SysResult<Done> SentinelFollower::start(bool holding) {
  holding_ = holding;
  woken_ = "start";
  auto wake_fd = vrrp::sys::Wakeup::create();
  if (!wake_fd) return wake_fd.error();
  wake_fd_.emplace(std::move(wake_fd).value());
  try {
    thread_ = std::thread([this] { run(); });
  } catch (const std::system_error& e) {
    return vrrp::sys::SysError{e.code().value(), std::string("sentinel thread: ") + e.what()};
  }
  return Done{};
}

void SentinelFollower::wake(std::string_view why) {
  {
    std::lock_guard lock(mutex_);
    if (!woken_) woken_ = std::string(why);
  }
  wake_fd_->notify();
}

std::vector<SentinelRound> SentinelFollower::take_rounds() {
  std::lock_guard lock(mutex_);
  std::vector<SentinelRound> out(std::make_move_iterator(rounds_.begin()), std::make_move_iterator(rounds_.end()));
  rounds_.clear();
  return out;
}

std::string SentinelFollower::wait_until(Clock::time_point due) {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return "";
      if (woken_) {
        std::string trigger = std::move(*woken_);
        woken_.reset();
        return trigger;
      }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(due - Clock::now()).count();
    if (left <= 0) return "reconcile";
    pollfd fds[2] = {{wake_fd_->fd(), POLLIN, 0}, {local_ ? local_->fd() : -1, POLLIN, 0}};
    if (::poll(fds, 2, static_cast<int>(std::min<long long>(left, 60'000))) > 0) {
      if (fds[0].revents != 0) wake_fd_->drain();
      if (fds[1].revents != 0) {
        local_.reset();  // closed by the server: the round opens a new one
        return "local-closed";
      }
    }
  }
}

void SentinelFollower::run() {
  auto next = Clock::now();
  for (;;) {
    std::string trigger = wait_until(next);
    if (trigger.empty()) return;
    next = Clock::now() + config_.reconcile;
    SentinelRound done = round(std::move(trigger));
    {
      std::lock_guard lock(mutex_);
      rounds_.push_back(std::move(done));
      // The main thread takes them at once; a backlog means it is stuck,
      // and only the newest round is worth executing then.
      while (rounds_.size() > 16) rounds_.pop_front();
    }
    wakeup_.notify();
  }
}

SentinelRound SentinelFollower::round(std::string trigger) {
  SentinelRound r;
  r.started = Clock::now();
  r.trigger = std::move(trigger);
  const auto timeout = config_.redis.connections.timeout;
  r.reports = ha::observe_sentinels(sentinel_.sentinels, sentinel_.credentials, sentinel_.master_name, timeout);
  r.local_role = local_role(Clock::now() + timeout);

  ha::SentinelInput in;
  in.reports = r.reports;
  in.local_addresses = ha::local_addresses_of(*config_.redis.self, config_.redis.connections.local.endpoint);
  in.local_role = r.local_role;
  in.policy = {sentinel_.on_quorum_loss, config_.redis.policy.fence};
  in.last_epoch = epoch_;
  in.holding_vip = holding_;
  r.decision = ha::decide_sentinel(in);
  epoch_ = r.decision.epoch;
  holding_ = r.decision.vip == ha::VipAction::hold;
  r.fence_error = fence(r.decision.fence);
  return r;
}

ha::LocalRole SentinelFollower::local_role(redis::Deadline deadline) {
  // Two tries: the held connection may have been closed by a restart since
  // the last round, which a fresh one answers.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!local_) {
      auto opened = redis::Connection::open(config_.redis.connections.local.endpoint,
                                            config_.redis.connections.local.credentials, deadline);
      if (!opened) return ha::LocalRole::unreachable;
      local_.emplace(std::move(opened).value());
    }
    const auto role = redis::role(*local_, deadline);
    if (role) return ha::local_role_of(role->role);
    local_.reset();
  }
  return ha::LocalRole::unreachable;
}

std::string SentinelFollower::fence(ha::FenceAction action) {
  const bool first = !unpause_checked_;
  unpause_checked_ = true;
  if (action == ha::FenceAction::none || !local_) return "";
  const auto deadline = Clock::now() + config_.redis.connections.timeout;
  if (action == ha::FenceAction::fence) {
    // Renewed every round: the pause outlives the interval (fence-ms >
    // reconcile-ms, checked at start), so it never lapses while the row lasts,
    // and ends by itself fence-ms after a vipd that dies.
    auto paused = redis::pause_writes(*local_, config_.redis.fence_duration, deadline);
    if (!paused) return paused.error().message;
    if (!fenced_) log_->warn("fence instance={} action=pause-writes ms={}", config_.redis.instance,
                             config_.redis.fence_duration.count());
    fenced_ = true;
    return "";
  }
  // unfence: only a pause we set, or at the first round one that a vipd
  // killed while fencing left behind; never every round (an operator's
  // pause is not ours to lift).
  if (!fenced_ && !first) return "";
  auto lifted = redis::unpause_writes(*local_, deadline);
  if (!lifted) return lifted.error().message;
  if (fenced_) log_->info("fence instance={} action=unpause", config_.redis.instance);
  fenced_ = false;
  return "";
}

}  // namespace vipkit::vipd
