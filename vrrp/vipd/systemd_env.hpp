#pragma once
// What systemd tells a Type=notify service through its environment
// (sd_notify(3), sd_watchdog_enabled(3)), read without libsystemd:
//   NOTIFY_SOCKET  where to send "READY=1", "WATCHDOG=1", "STOPPING=1": a
//                  datagram socket path, or "@name" for the abstract namespace
//   WATCHDOG_USEC  WatchdogSec= in µs: a ping is due at least this often
//   WATCHDOG_PID   the process the watchdog is meant for (unset: the main one)
// Pure: the values come in as arguments (nullptr: unset).
#include <chrono>
#include <optional>
#include <string>

#include "base/result.hpp"

namespace vipkit::vipd {

struct NotifyTarget {
  std::string name;   // the sun_path bytes without the leading '@' / NUL of an abstract name
  bool abstract = false;

  bool operator==(const NotifyTarget&) const = default;
};

struct SystemdEnv {
  std::optional<NotifyTarget> notify;                // none: not started by systemd as Type=notify
  std::optional<std::chrono::microseconds> watchdog;  // none: no watchdog for this process

  bool operator==(const SystemdEnv&) const = default;
};

// The error is one line naming the variable and its value.
Result<SystemdEnv, std::string> parse_systemd_env(const char* notify_socket, const char* watchdog_usec,
                                                  const char* watchdog_pid, long self_pid);

// systemd's advice (sd_watchdog_enabled(3)): ping at half the timeout, so
// one late wake-up does not count as a missed ping.
std::chrono::microseconds watchdog_ping_interval(std::chrono::microseconds timeout);

}  // namespace vipkit::vipd
