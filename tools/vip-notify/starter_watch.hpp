#pragma once
// Is the process that started the FIFO reader (keepalived's VRRP process)
// gone? The reader runs under a supervisor (fifo_supervisor.hpp), so its own
// parent says nothing about keepalived: a pidfd of the starter does (it
// turns readable when that process exits, Linux 5.3+; a pid reused since
// cannot fool it). Without pidfd_open, kill(pid, 0) is the fallback.
#include <sys/types.h>

#include "vrrp/sys/event_loop.hpp"

namespace vipkit::notify {

class StarterWatch {
 public:
  explicit StarterWatch(pid_t starter);
  bool gone() const;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_;
  vrrp::sys::Fd pidfd_;
  bool gone_at_start_ = false;  // it had exited before we looked
};

}  // namespace vipkit::notify
