#include "common/instance_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

namespace vipkit::common {

redis::Result<InstanceLock> InstanceLock::acquire(const std::string& state_dir, const std::string& instance,
                                                  std::chrono::milliseconds wait) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec) return redis::Error{redis::ErrorCode::io, "mkdir " + state_dir + ": " + ec.message()};
  const std::string path = state_dir + "/" + instance + ".lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return redis::Error{redis::ErrorCode::io, "open " + path + ": " + std::strerror(errno)};
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return InstanceLock(fd);
    if (errno != EWOULDBLOCK && errno != EINTR) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      return redis::Error{redis::ErrorCode::io, "flock " + path + ": " + why};
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::close(fd);
      return redis::Error{redis::ErrorCode::timeout,
                          "another handler holds " + path + " for longer than " +
                              std::to_string(wait.count()) + " ms"};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

InstanceLock::~InstanceLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace vipkit::common
