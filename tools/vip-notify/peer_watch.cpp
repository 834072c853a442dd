#include "vip-notify/peer_watch.hpp"

#include <algorithm>

#include "redis/commands.hpp"
#include "vip-notify/due_entries.hpp"

namespace vipkit::notify {

using Clock = std::chrono::steady_clock;

struct PeerWatch::Watched {
  ha::Target peer;
  std::chrono::milliseconds interval;
  std::chrono::milliseconds timeout;
  Clock::time_point next;
  MasterEdge edge;
  std::optional<redis::Connection> connection;  // kept between probes; reopened after a failure
};

namespace {

// One probe: ROLE on the kept connection. Anything but a clear "master" is
// "not master": the loop acts only on a peer seen to be one.
bool peer_is_master(ha::Target& peer, std::optional<redis::Connection>& connection,
                    std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  if (!connection) {
    auto opened = redis::Connection::open(peer.endpoint, peer.credentials, deadline);
    if (!opened) return false;
    connection.emplace(std::move(opened).value());
  }
  auto role = redis::role(*connection, deadline);
  if (!role) {
    connection.reset();
    return false;
  }
  return role->role == redis::Role::master;
}

}  // namespace

PeerWatch::PeerWatch(vrrp::sys::Wakeup wakeup) : wakeup_(std::move(wakeup)), thread_([this] { run(); }) {}

PeerWatch::~PeerWatch() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void PeerWatch::watch(const std::string& instance, const ha::Target& peer, std::chrono::milliseconds interval,
                      std::chrono::milliseconds timeout) {
  auto w = std::make_shared<Watched>();
  w->peer = peer;
  w->interval = interval;
  w->timeout = std::min(timeout, interval);
  w->next = Clock::now() + interval;
  {
    std::lock_guard lock(mutex_);
    auto& slot = watched_[instance];
    // Watched already, alike: keep it, with its edge and connection. Every
    // reconcile pass calls this; starting over would forget the last probe
    // and miss a turn that happened just then.
    if (slot && slot->peer.endpoint == peer.endpoint && slot->interval == w->interval &&
        slot->timeout == w->timeout) {
      return;
    }
    slot = std::move(w);
  }
  changed_.notify_all();
}

void PeerWatch::unwatch(const std::string& instance) {
  std::lock_guard lock(mutex_);
  watched_.erase(instance);
}

std::vector<std::string> PeerWatch::take_turned() {
  wakeup_.drain();
  std::lock_guard lock(mutex_);
  return std::exchange(turned_, {});
}

void PeerWatch::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    // Probes run without the lock, so that watch() and unwatch() from the
    // loop never wait for a peer's timeout.
    auto due = wait_due(lock, changed_, stopping_, watched_);
    if (due.empty()) continue;
    lock.unlock();
    std::vector<std::string> turned;
    for (auto& [name, w] : due) {
      // `w` is this thread's alone while it probes: watch() replaces the
      // entry rather than change it, unwatch() only drops the map's share.
      if (w->edge.observe(peer_is_master(w->peer, w->connection, w->timeout))) turned.push_back(name);
      w->next = Clock::now() + w->interval;
    }
    lock.lock();
    for (auto& [name, w] : due) {
      // Unwatched, or replaced, meanwhile: the news is for an instance that
      // is no longer MASTER (or watched anew), drop it.
      auto it = watched_.find(name);
      if (it == watched_.end() || it->second != w) std::erase(turned, name);
    }
    if (!turned.empty()) {
      turned_.insert(turned_.end(), turned.begin(), turned.end());
      wakeup_.notify();
    }
  }
}

}  // namespace vipkit::notify
