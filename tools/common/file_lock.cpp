#include "common/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

namespace vipkit::common {

IoResult<FileLock> FileLock::acquire(const std::string& path, mode_t mode, std::chrono::milliseconds wait) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, mode);
  if (fd < 0) return errno_error("open " + path);
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return FileLock(fd);
    if (errno != EWOULDBLOCK && errno != EINTR) {
      const int why = errno;
      ::close(fd);
      return errno_error(why, "flock " + path);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::close(fd);
      return IoError{ETIMEDOUT, path + " is held by another process or thread for longer than " +
                                    std::to_string(wait.count()) + " ms"};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace vipkit::common
