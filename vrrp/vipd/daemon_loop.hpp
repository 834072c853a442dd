#pragma once
// What both of vipd's drivers (VRRP: instance.cpp; Sentinel:
// sentinel_instance.cpp) set up the same way around their event loop: the
// systemd notifier, the loop, SIGTERM/SIGINT as a descriptor, an eventfd
// for their worker thread; then watching their descriptors and the
// watchdog; and a control handler that turns an exception into that
// request's error, never the end of the process.
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "base/result.hpp"
#include "common/log.hpp"
#include "vrrp/sys/control_server.hpp"
#include "vrrp/sys/event_loop.hpp"
#include "vrrp/vipd/service_notifier.hpp"
#include "vrrp/vipd/vip_holder.hpp"

namespace vipkit::vipd {

struct DaemonLoop {
  ServiceNotifier systemd;
  vrrp::sys::EventLoop loop;
  vrrp::sys::SignalSet signals;  // SIGTERM, SIGINT; blocked before any thread starts
  vrrp::sys::Wakeup wakeup;      // the worker thread's
  vrrp::sys::Timer housekeeping;  // watch_inputs' every-second tick
};

// Call before starting any thread: the threads inherit the blocked signals.
// SIGPIPE is ignored from here on. The error text names the piece.
Result<DaemonLoop, std::string> open_daemon_loop(const common::Logger& log, const std::string& instance);

using Watch = std::pair<int, vrrp::sys::EventLoop::Callback>;
using Tick = std::function<void(vrrp::sys::TimePoint now)>;
// Watch each descriptor for input, the watchdog timer when systemd asked
// for pings, and call `every_second` once a second from now on (expiring
// slow control clients, metrics). "event loop: …" at the first failure.
Result<Done, std::string> watch_inputs(DaemonLoop& daemon, std::span<const Watch> watches, Tick every_second);

// Run the loop until a signal stops it, then `join` the driver's threads
// (no Redis call outlives the loop). 0 after a signal; 1, with the VIPs
// removed, when the loop itself failed.
int run_daemon_loop(DaemonLoop& daemon, const common::Logger& log, const std::string& instance, VipHolder& vips,
                    const std::function<void()>& join);

// {"ok":false,"error":"internal error: WHAT"} (control_protocol's error_response).
std::string internal_error_response(std::string_view what);

// `answer`, with whatever it throws logged and answered as an error.
template <typename Answer>
vrrp::sys::ControlServer::Handler guarded_handler(common::Logger log, std::string instance, Answer answer) {
  return [log = std::move(log), instance = std::move(instance), answer](std::string_view request) -> std::string {
    try {
      return answer(request);
    } catch (const std::exception& e) {
      log->error("control-error instance={} error={}", instance, common::kv_value(e.what()));
      return internal_error_response(e.what());
    }
  };
}

}  // namespace vipkit::vipd
