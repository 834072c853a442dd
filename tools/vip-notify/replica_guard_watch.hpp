#pragma once
// vip-notify --fifo: the replica guard (ha/replica_guard.hpp) for every
// configured instance, on a thread of its own, every `hold-watch-ms`. It
// holds a replica whose link went down before Redis's own once-a-second
// reconnect can full-sync it from a master that came back empty, and
// releases it once that master's history covers the replica's. Each hold and
// release is one info line (replica-hold / replica-release); a failure to
// apply one is a warning, retried at the next round.
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/instance_config.hpp"
#include "common/log.hpp"

namespace vipkit::notify {

class ReplicaGuardWatch {
 public:
  explicit ReplicaGuardWatch(common::Logger log);
  ~ReplicaGuardWatch();
  ReplicaGuardWatch(const ReplicaGuardWatch&) = delete;
  ReplicaGuardWatch& operator=(const ReplicaGuardWatch&) = delete;

  // Guard this instance (config.hold_watch > 0 and a peer configured; else
  // it is unwatched). The same nodes and interval again change nothing.
  void watch(const common::InstanceConfig& config);
  void unwatch(const std::string& instance);

 private:
  struct Guarded;
  void run();
  void round(Guarded& g);

  common::Logger log_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  std::map<std::string, std::shared_ptr<Guarded>> guarded_;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace vipkit::notify
