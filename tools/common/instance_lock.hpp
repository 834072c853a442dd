#pragma once
// Per-instance lock: keepalived may run notify handlers concurrently and out
// of order; one handler at a time acts on an instance. flock(2) on
// STATE_DIR/NAME.lock, released when the process dies, so a crashed handler
// never wedges the next one.
#include <chrono>
#include <optional>
#include <string>

#include "redis/result.hpp"

namespace vipkit::common {

class InstanceLock {
 public:
  // Waits up to `wait` for the lock. Error text says who/what blocked.
  static redis::Result<InstanceLock> acquire(const std::string& state_dir, const std::string& instance,
                                             std::chrono::milliseconds wait);
  InstanceLock(InstanceLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  InstanceLock& operator=(InstanceLock&&) = delete;
  InstanceLock(const InstanceLock&) = delete;
  ~InstanceLock();

 private:
  explicit InstanceLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace vipkit::common
