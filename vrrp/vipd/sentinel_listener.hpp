#pragma once
// leader = sentinel, for speed: one thread per configured Sentinel,
// subscribed to the events that can change who the master is
// (redis::sentinel_event_channels). An event about our master name wakes
// the follower, which asks every Sentinel again at once instead of at the
// next reconcile. Events are only a hint: the follower's answers decide, and
// its reconcile interval repairs a missed event, so a listener that cannot
// connect just retries (and says so once).
//
// A subscribed connection is silent while nothing happens, so a cut cable
// would go unnoticed for good: after `idle` without a byte the listener
// sends PING (allowed while subscribed) and reconnects when nothing comes
// back within another `idle`. After every (re)subscription it wakes the
// follower too: events may have been missed while it was away.
#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/log.hpp"
#include "redis/credentials.hpp"
#include "redis/endpoint.hpp"
#include "redis/reply.hpp"
#include "vrrp/sys/event_loop.hpp"

namespace vipkit::vipd {

// Pure: whether a pub/sub reply is an event that should make the follower
// ask again. A message on one of the channels about `master_name`, about
// no master in particular (+new-epoch), or one that does not parse (better
// one round too many than a missed switch). Subscribe confirmations and
// PING answers are not.
bool event_wakes(const redis::Reply& reply, std::string_view master_name);

class SentinelListeners {
 public:
  using Wake = std::function<void(std::string_view why)>;
  struct Settings {
    std::vector<redis::Endpoint> sentinels;
    redis::Credentials credentials;
    std::string master_name;
    std::string instance;                // for the logs
    std::chrono::milliseconds timeout;   // connect and reply
    std::chrono::milliseconds idle{5000};
  };
  SentinelListeners(Settings settings, common::Logger log, Wake wake);
  ~SentinelListeners();  // stops and joins
  SentinelListeners(const SentinelListeners&) = delete;
  SentinelListeners& operator=(const SentinelListeners&) = delete;

  vrrp::sys::SysResult<Done> start();

 private:
  void run(const redis::Endpoint& sentinel);
  // One subscription until it fails or we stop; false when stopping.
  bool listen_once(const redis::Endpoint& sentinel, bool& failure_logged);
  // Sleep up to `pause`, ending early when stopping; false when stopping.
  bool pause(std::chrono::milliseconds pause);

  Settings settings_;
  common::Logger log_;
  Wake wake_;
  std::optional<vrrp::sys::Wakeup> stop_;  // readable once stopping
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace vipkit::vipd
