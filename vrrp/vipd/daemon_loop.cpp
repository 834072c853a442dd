#include "vrrp/vipd/daemon_loop.hpp"

#include <signal.h>
#include <sys/epoll.h>

#include "vrrp/vipd/control_protocol.hpp"

namespace vipkit::vipd {

namespace {
constexpr std::chrono::seconds interval{1};  // of the housekeeping tick
}  // namespace

Result<DaemonLoop, std::string> open_daemon_loop(const common::Logger& log, const std::string& instance) {
  auto notifier = ServiceNotifier::from_environment(log, instance);
  if (!notifier) return notifier.error();
  auto loop = vrrp::sys::EventLoop::create();
  if (!loop) return "event loop: " + loop.error().message;
  auto signals = vrrp::sys::SignalSet::block({SIGTERM, SIGINT});
  if (!signals) return "signals: " + signals.error().message;
  auto wakeup = vrrp::sys::Wakeup::create();
  if (!wakeup) return "eventfd: " + wakeup.error().message;
  auto timer = vrrp::sys::Timer::create();
  if (!timer) return "timerfd: " + timer.error().message;
  ::signal(SIGPIPE, SIG_IGN);
  return DaemonLoop{std::move(notifier).value(), std::move(loop).value(), std::move(signals).value(),
                    std::move(wakeup).value(), std::move(timer).value()};
}

Result<Done, std::string> watch_inputs(DaemonLoop& daemon, std::span<const Watch> watches, Tick every_second) {
  for (const auto& [fd, callback] : watches) {
    if (auto watched = daemon.loop.watch(fd, EPOLLIN, callback); !watched) {
      return "event loop: " + watched.error().message;
    }
  }
  auto tick = [&daemon, every_second = std::move(every_second)](std::uint32_t) {
    daemon.housekeeping.acknowledge();
    const auto now = std::chrono::steady_clock::now();
    every_second(now);
    daemon.housekeeping.arm(now + interval);
  };
  if (auto watched = daemon.loop.watch(daemon.housekeeping.fd(), EPOLLIN, tick); !watched) {
    return "event loop: " + watched.error().message;
  }
  daemon.housekeeping.arm(std::chrono::steady_clock::now() + interval);
  if (const auto fd = daemon.systemd.watchdog_fd()) {
    auto ping = [&daemon](std::uint32_t) { daemon.systemd.on_watchdog_timer(std::chrono::steady_clock::now()); };
    if (auto watched = daemon.loop.watch(*fd, EPOLLIN, ping); !watched) return "event loop: " + watched.error().message;
  }
  return Done{};
}

int run_daemon_loop(DaemonLoop& daemon, const common::Logger& log, const std::string& instance, VipHolder& vips,
                    const std::function<void()>& join) {
  auto ran = daemon.loop.run();
  join();
  if (!ran) {
    log->error("loop-failed instance={} error={}", instance, common::kv_value(ran.error().message));
    vips.remove("loop-failed");
    return 1;
  }
  log->info("stop instance={} reason=signal", instance);
  return 0;
}

std::string internal_error_response(std::string_view what) {
  return error_response(std::string("internal error: ") + std::string(what));
}

}  // namespace vipkit::vipd
