#include "vrrp/vipd/service_notifier.hpp"

#include <unistd.h>

#include <cstdlib>

namespace vipkit::vipd {

namespace sys = vrrp::sys;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

Result<ServiceNotifier, std::string> ServiceNotifier::from_environment(common::Logger log, std::string instance) {
  auto parsed = parse_systemd_env(std::getenv("NOTIFY_SOCKET"), std::getenv("WATCHDOG_USEC"),
                                  std::getenv("WATCHDOG_PID"), static_cast<long>(::getpid()));
  if (!parsed) return "systemd: " + parsed.error();
  const SystemdEnv env = parsed.value();
  std::optional<sys::NotifySocket> socket;
  std::optional<sys::Timer> timer;
  if (env.notify) {
    auto opened = sys::NotifySocket::open(env.notify->name, env.notify->abstract);
    if (!opened) return "systemd: " + opened.error().message;
    socket.emplace(std::move(opened).value());
    if (env.watchdog) {
      auto made = sys::Timer::create();
      if (!made) return "systemd watchdog: " + made.error().message;
      timer.emplace(std::move(made).value());
    }
  }
  return ServiceNotifier(std::move(log), std::move(instance), env, std::move(socket), std::move(timer));
}

ServiceNotifier::ServiceNotifier(common::Logger log, std::string instance, SystemdEnv env,
                                 std::optional<sys::NotifySocket> socket, std::optional<sys::Timer> timer)
    : log_(std::move(log)),
      instance_(std::move(instance)),
      env_(std::move(env)),
      socket_(std::move(socket)),
      watchdog_timer_(std::move(timer)) {}

std::optional<int> ServiceNotifier::watchdog_fd() const {
  if (!watchdog_timer_) return std::nullopt;
  return watchdog_timer_->fd();
}

void ServiceNotifier::ready(sys::TimePoint now) {
  if (!socket_) return;
  const auto timeout = env_.watchdog.value_or(std::chrono::microseconds(0));
  log_->info("systemd-notify instance={} socket={}{} watchdog_ms={} ping_ms={}", instance_,
             env_.notify->abstract ? "@" : "", env_.notify->name, duration_cast<milliseconds>(timeout).count(),
             duration_cast<milliseconds>(watchdog_ping_interval(timeout)).count());
  send("READY=1");
  if (watchdog_timer_) watchdog_timer_->arm(now + watchdog_ping_interval(*env_.watchdog));
}

void ServiceNotifier::stopping() {
  if (watchdog_timer_) watchdog_timer_->disarm();
  if (socket_) send("STOPPING=1");
}

void ServiceNotifier::on_watchdog_timer(sys::TimePoint now) {
  watchdog_timer_->acknowledge();
  send("WATCHDOG=1");
  watchdog_timer_->arm(now + watchdog_ping_interval(*env_.watchdog));
}

void ServiceNotifier::send(const char* message) {
  auto sent = socket_->send(message);
  if (!sent && !failing_) {
    log_->warn("notify-failed instance={} message={} error={}", instance_, message,
               common::kv_value(sent.error().message));
  }
  failing_ = !sent;
}

}  // namespace vipkit::vipd
