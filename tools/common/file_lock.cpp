#include "common/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace vipkit::common {

redis::Result<FileLock> FileLock::acquire(const std::string& path, mode_t mode, std::chrono::milliseconds wait) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, mode);
  if (fd < 0) return redis::Error{redis::ErrorCode::io, "open " + path + ": " + std::strerror(errno)};
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return FileLock(fd);
    if (errno != EWOULDBLOCK && errno != EINTR) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      return redis::Error{redis::ErrorCode::io, "flock " + path + ": " + why};
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::close(fd);
      return redis::Error{redis::ErrorCode::timeout,
                          path + " is held by another process or thread for longer than " +
                              std::to_string(wait.count()) + " ms"};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace vipkit::common
