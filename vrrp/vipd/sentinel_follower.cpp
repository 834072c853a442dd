#include "vrrp/vipd/sentinel_follower.hpp"

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
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

vrrp::sys::SysResult<Done> SentinelFollower::start(bool holding) {
  holding_ = holding;
  woken_ = "start";
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
  cv_.notify_all();
}

std::vector<SentinelRound> SentinelFollower::take_rounds() {
  std::lock_guard lock(mutex_);
  std::vector<SentinelRound> out(std::make_move_iterator(rounds_.begin()), std::make_move_iterator(rounds_.end()));
  rounds_.clear();
  return out;
}

void SentinelFollower::run() {
  auto next = Clock::now();
  for (;;) {
    std::string trigger;
    {
      std::unique_lock lock(mutex_);
      cv_.wait_until(lock, next, [this] { return stopping_ || woken_.has_value(); });
      if (stopping_) return;
      trigger = woken_ ? std::move(*woken_) : "reconcile";
      woken_.reset();
    }
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
  in.local_addresses.push_back(*config_.redis.self);
  if (!(config_.redis.connections.local.endpoint == *config_.redis.self)) {
    in.local_addresses.push_back(config_.redis.connections.local.endpoint);
  }
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
    if (role) return role->role == redis::Role::master ? ha::LocalRole::master : ha::LocalRole::replica;
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
