#include "vip-notify/replica_guard_watch.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "ha/replica_guard.hpp"
#include "vip-notify/due_entries.hpp"

namespace vipkit::notify {

using Clock = std::chrono::steady_clock;

struct ReplicaGuardWatch::Guarded {
  std::string instance;
  ha::Target local;
  ha::Target peer;
  std::chrono::milliseconds interval;
  std::chrono::milliseconds timeout;
  Clock::time_point next{};
  std::optional<redis::Connection> connection;  // to the local Redis, kept between rounds
  std::string last_failure;                     // logged once until it changes
};

ReplicaGuardWatch::ReplicaGuardWatch(common::Logger log) : log_(std::move(log)), thread_([this] { run(); }) {}

ReplicaGuardWatch::~ReplicaGuardWatch() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void ReplicaGuardWatch::watch(const common::InstanceConfig& config) {
  if (config.hold_watch.count() == 0 || !config.connections.peer) return unwatch(config.instance);
  auto g = std::make_shared<Guarded>();
  g->instance = config.instance;
  g->local = config.connections.local;
  g->peer = *config.connections.peer;
  g->interval = config.hold_watch;
  g->timeout = std::min(config.connections.timeout, config.hold_watch * 5);
  {
    std::lock_guard lock(mutex_);
    auto& slot = guarded_[config.instance];
    if (slot && slot->local.endpoint == g->local.endpoint && slot->peer.endpoint == g->peer.endpoint &&
        slot->interval == g->interval && slot->timeout == g->timeout) {
      return;
    }
    slot = std::move(g);
  }
  changed_.notify_all();
}

void ReplicaGuardWatch::unwatch(const std::string& instance) {
  std::lock_guard lock(mutex_);
  guarded_.erase(instance);
}

void ReplicaGuardWatch::round(Guarded& g) {
  const auto r = ha::guard_round(g.local, g.connection, g.peer, g.timeout);
  if (!r) return;  // the local Redis cannot be looked at: nothing to hold, the checks report it
  if (r->decision.action == ha::GuardAction::none) return;
  if (!r->applied) {
    if (r->error != g.last_failure) {
      log_->warn("replica-{}-failed instance={} reason={} error={}", ha::to_token(r->decision.action), g.instance,
                 r->decision.reason, common::kv_value(r->error));
    }
    g.last_failure = r->error;
    return;
  }
  g.last_failure.clear();
  // Arming a linked replica is routine (after every sync): debug only.
  if (r->decision.reason == "arm") {
    log_->debug("replica-hold instance={} reason=arm", g.instance);
    return;
  }
  log_->info("replica-{} instance={} reason={}", ha::to_token(r->decision.action), g.instance, r->decision.reason);
}

void ReplicaGuardWatch::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    auto due = wait_due(lock, changed_, stopping_, guarded_);
    if (due.empty()) continue;
    lock.unlock();
    // Each entry is this thread's alone while it runs: watch() replaces an
    // entry rather than change it, unwatch() only drops the map's share.
    for (auto& [name, g] : due) {
      round(*g);
      g->next = Clock::now() + g->interval;
    }
    lock.lock();
  }
}

}  // namespace vipkit::notify
