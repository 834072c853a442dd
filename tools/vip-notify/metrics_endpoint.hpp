#pragma once
// vip-notify --fifo's `--metrics-listen`: serves the registry
// (notify_metrics.hpp) through civetweb (vrrp/sys/metrics_server.hpp).
// A start that fails (the port taken, say by the reader that the supervisor
// is replacing) is logged and retried at every reconcile pass, never fatal:
// keepalived does not restart its FIFO reader, and missing metrics must not
// cost the pair its failover.
#include <memory>
#include <string>

#include "common/log.hpp"
#include "vip-notify/notify_metrics.hpp"
#include "vrrp/sys/metrics_server.hpp"

namespace vipkit::notify {

class MetricsEndpoint {
 public:
  // Tries to start at once; `listen` empty: off, does nothing.
  MetricsEndpoint(std::string listen, const MetricsRegistry& registry, common::Logger log);
  // Start it if it is not running (a no-op when off or running).
  void retry();

 private:
  std::string listen_;
  const MetricsRegistry& registry_;
  common::Logger log_;
  std::string last_error_;  // logged once at error level, repeats at debug
  std::unique_ptr<vrrp::sys::MetricsServer> server_;
};

}  // namespace vipkit::notify
