#pragma once
// vipd as a systemd Type=notify service (scripts/vipd@.service): READY=1
// once started, STOPPING=1 at SIGTERM, and WATCHDOG=1 from the event loop
// every half WatchdogSec, so a loop that stops turning — a SIGSTOP, a hang —
// stops the pings and systemd kills and restarts vipd (docs/vipd.md,
// *Watchdog*). Nothing is sent when NOTIFY_SOCKET is unset.
#include <optional>
#include <string>

#include "base/result.hpp"
#include "common/log.hpp"
#include "vrrp/sys/event_loop.hpp"
#include "vrrp/sys/notify_socket.hpp"
#include "vrrp/vipd/systemd_env.hpp"

namespace vipkit::vipd {

class ServiceNotifier {
 public:
  // From the process environment; a bad variable or a socket that cannot be
  // made is one line of error.
  static Result<ServiceNotifier, std::string> from_environment(common::Logger log, std::string instance);

  void ready(vrrp::sys::TimePoint now);  // READY=1, then the pings start
  void stopping();                       // STOPPING=1
  void on_watchdog_timer(vrrp::sys::TimePoint now);
  // The timer to poll; none when there is no watchdog.
  std::optional<int> watchdog_fd() const;

 private:
  ServiceNotifier(common::Logger log, std::string instance, SystemdEnv env,
                  std::optional<vrrp::sys::NotifySocket> socket, std::optional<vrrp::sys::Timer> timer);
  void send(const char* message);

  common::Logger log_;
  std::string instance_;
  SystemdEnv env_;
  std::optional<vrrp::sys::NotifySocket> socket_;
  std::optional<vrrp::sys::Timer> watchdog_timer_;
  bool failing_ = false;  // a failed send is logged once, until one succeeds
};

}  // namespace vipkit::vipd
