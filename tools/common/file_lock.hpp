#pragma once
// An exclusive flock(2) on a file, held while the object lives, released
// when it is destroyed or when the process dies (a crashed holder never
// wedges the next one). flock belongs to the open file description, so two
// threads of one process that each acquire exclude each other as two
// processes do.
#include <sys/types.h>

#include <chrono>
#include <string>

#include "base/io_error.hpp"

namespace vipkit::common {

class FileLock {
 public:
  // Creates `path` with `mode` when missing (opened read-only: a lock file
  // another user created stays usable); waits up to `wait` for the lock.
  // The timeout's error (ETIMEDOUT) names the file and the wait.
  static IoResult<FileLock> acquire(const std::string& path, mode_t mode, std::chrono::milliseconds wait);
  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace vipkit::common
