#pragma once
// Per-instance lock: keepalived may run notify handlers concurrently and out
// of order; one handler at a time acts on an instance. flock(2) on
// STATE_DIR/NAME.lock (common/file_lock.hpp), released when the process
// dies, so a crashed handler never wedges the next one.
#include <chrono>
#include <string>

#include "base/io_error.hpp"
#include "common/file_lock.hpp"

namespace vipkit::common {

class InstanceLock {
 public:
  // Waits up to `wait` for the lock. Error text says who/what blocked.
  static IoResult<InstanceLock> acquire(const std::string& state_dir, const std::string& instance,
                                        std::chrono::milliseconds wait);

 private:
  explicit InstanceLock(FileLock lock) : lock_(std::move(lock)) {}
  FileLock lock_;
};

}  // namespace vipkit::common
