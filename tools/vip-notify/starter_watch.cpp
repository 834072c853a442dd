#include "vip-notify/starter_watch.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace vipkit::notify {

StarterWatch::StarterWatch(pid_t starter)
    : pid_(starter), pidfd_(static_cast<int>(::syscall(SYS_pidfd_open, starter, 0))) {
  gone_at_start_ = pidfd_.get() < 0 && errno == ESRCH;
}

bool StarterWatch::gone() const {
  if (gone_at_start_ || pid_ <= 1) return true;
  if (pidfd_.get() >= 0) {
    pollfd pfd{pidfd_.get(), POLLIN, 0};
    return ::poll(&pfd, 1, 0) > 0;
  }
  return ::kill(pid_, 0) != 0 && errno == ESRCH;
}

}  // namespace vipkit::notify
