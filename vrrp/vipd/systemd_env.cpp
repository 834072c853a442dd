#include "vrrp/vipd/systemd_env.hpp"

#include <sys/un.h>

#include <charconv>
#include <cstring>

namespace vipkit::vipd {

namespace {

// A whole positive decimal number, nothing before or after it.
std::optional<long long> positive_number(const char* text) {
  const char* end = text + std::strlen(text);
  long long value = 0;
  const auto [at, error] = std::from_chars(text, end, value);
  if (error != std::errc{} || at != end || value <= 0) return std::nullopt;
  return value;
}

std::string quoted(const char* value) { return std::string("'") + value + "'"; }

}  // namespace

Result<SystemdEnv, std::string> parse_systemd_env(const char* notify_socket, const char* watchdog_usec,
                                                  const char* watchdog_pid, long self_pid) {
  SystemdEnv env;
  if (notify_socket != nullptr) {
    const std::string value = notify_socket;
    if (value.empty() || (value[0] != '/' && value[0] != '@')) {
      return "NOTIFY_SOCKET=" + quoted(notify_socket) + ": must be a socket path or an @abstract name";
    }
    // An abstract name keeps its leading NUL in sun_path; a path its trailing one.
    if (value.size() >= sizeof(sockaddr_un::sun_path) || value.size() < 2) {
      return "NOTIFY_SOCKET=" + quoted(notify_socket) + ": must be 2.." +
             std::to_string(sizeof(sockaddr_un::sun_path) - 1) + " characters";
    }
    env.notify = value[0] == '@' ? NotifyTarget{value.substr(1), true} : NotifyTarget{value, false};
  }
  if (watchdog_usec == nullptr) return env;
  const auto usec = positive_number(watchdog_usec);
  if (!usec) return "WATCHDOG_USEC=" + quoted(watchdog_usec) + ": must be a positive number of microseconds";
  if (watchdog_pid != nullptr) {
    const auto pid = positive_number(watchdog_pid);
    if (!pid) return "WATCHDOG_PID=" + quoted(watchdog_pid) + ": must be a process id";
    // Meant for another process (e.g. a parent that exec'd us without
    // unsetting it): not ours to ping.
    if (*pid != self_pid) return env;
  }
  env.watchdog = std::chrono::microseconds(*usec);
  return env;
}

std::chrono::microseconds watchdog_ping_interval(std::chrono::microseconds timeout) { return timeout / 2; }

}  // namespace vipkit::vipd
