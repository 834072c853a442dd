#pragma once
// The sending end of systemd's notification protocol (sd_notify(3)): one
// datagram of "KEY=VALUE" lines to the socket named by NOTIFY_SOCKET, a
// path or an abstract name. No libsystemd: the protocol is this datagram.
#include <string>
#include <string_view>

#include "vrrp/sys/event_loop.hpp"
#include "vrrp/sys/sys_error.hpp"

namespace vipkit::vrrp::sys {

class NotifySocket {
 public:
  // `name`: the socket path, or an abstract name (without its leading NUL).
  static SysResult<NotifySocket> open(const std::string& name, bool abstract);
  // Addressed at each send, as sd_notify does: a re-executed systemd binds
  // the socket anew, and a connected socket would keep pointing at the old one.
  SysResult<Done> send(std::string_view message);

 private:
  NotifySocket(Fd fd, std::string name, bool abstract) : fd_(std::move(fd)), name_(std::move(name)), abstract_(abstract) {}
  Fd fd_;
  std::string name_;
  bool abstract_;
};

}  // namespace vipkit::vrrp::sys
