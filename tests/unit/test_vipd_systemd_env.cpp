#include <catch2/catch.hpp>

#include "vrrp/vipd/systemd_env.hpp"

using namespace vipkit::vipd;
using namespace std::chrono_literals;

namespace {

SystemdEnv parsed(const char* notify, const char* usec, const char* pid, long self = 4242) {
  auto result = parse_systemd_env(notify, usec, pid, self);
  if (!result) FAIL("error: " << result.error());
  return result.value();
}

std::string error_of(const char* notify, const char* usec, const char* pid) {
  auto result = parse_systemd_env(notify, usec, pid, 4242);
  REQUIRE(!result);
  return result.error();
}

}  // namespace

TEST_CASE("systemd env: not under systemd, nothing to notify") {
  CHECK(parsed(nullptr, nullptr, nullptr) == SystemdEnv{});
}

TEST_CASE("systemd env: Type=notify without a watchdog") {
  CHECK(parsed("/run/systemd/notify", nullptr, nullptr) == SystemdEnv{NotifyTarget{"/run/systemd/notify", false}, {}});
}

TEST_CASE("systemd env: an abstract socket name loses its '@'") {
  CHECK(parsed("@vipd-test", nullptr, nullptr).notify == NotifyTarget{"vipd-test", true});
}

TEST_CASE("systemd env: WatchdogSec=2s, for us or for whoever is main") {
  CHECK(parsed("/run/systemd/notify", "2000000", "4242").watchdog == 2s);
  CHECK(parsed("/run/systemd/notify", "2000000", nullptr).watchdog == 2s);
  CHECK(watchdog_ping_interval(2s) == 1s);
}

TEST_CASE("systemd env: a watchdog meant for another process is not ours") {
  CHECK_FALSE(parsed("/run/systemd/notify", "2000000", "17").watchdog);
}

TEST_CASE("systemd env: bad values are refused with the variable and the value") {
  CHECK(error_of("", nullptr, nullptr) == "NOTIFY_SOCKET='': must be a socket path or an @abstract name");
  CHECK(error_of("run/notify", nullptr, nullptr) ==
        "NOTIFY_SOCKET='run/notify': must be a socket path or an @abstract name");
  CHECK(error_of("vsock:2:1234", nullptr, nullptr) ==
        "NOTIFY_SOCKET='vsock:2:1234': must be a socket path or an @abstract name");
  CHECK(error_of("@", nullptr, nullptr) == "NOTIFY_SOCKET='@': must be 2..107 characters");
  const std::string long_path = "/" + std::string(107, 'x');
  CHECK(error_of(long_path.c_str(), nullptr, nullptr) == "NOTIFY_SOCKET='" + long_path + "': must be 2..107 characters");
  CHECK(error_of("/n", "2s", nullptr) == "WATCHDOG_USEC='2s': must be a positive number of microseconds");
  CHECK(error_of("/n", "0", nullptr) == "WATCHDOG_USEC='0': must be a positive number of microseconds");
  CHECK(error_of("/n", "-5", nullptr) == "WATCHDOG_USEC='-5': must be a positive number of microseconds");
  CHECK(error_of("/n", "", nullptr) == "WATCHDOG_USEC='': must be a positive number of microseconds");
  CHECK(error_of("/n", "99999999999999999999", nullptr) ==
        "WATCHDOG_USEC='99999999999999999999': must be a positive number of microseconds");
  CHECK(error_of("/n", "2000000", "abc") == "WATCHDOG_PID='abc': must be a process id");
}
