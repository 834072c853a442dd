#pragma once
// What vip-notify --fifo exposes at `--metrics-listen` (keepalived setups):
// the action and health metrics vipd has, per vrrp_instance. Two threads
// feed it, the FIFO reader (keepalived's events and the actions they led
// to) and the resident checks (health_watch.hpp: verdicts, latency, the
// pair's replication); civetweb's thread renders a copy on every scrape.
// The VRRP counters (adverts, priority-0, ...) are keepalived's own:
// keepalived-exporter serves them.
//
// The page restarts from zero when the supervisor restarts the reader
// (fifo_supervisor.hpp): Prometheus reads a counter that goes down as a reset.
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "common/latency_histogram.hpp"
#include "ha/node_state.hpp"
#include "ha/plan.hpp"

namespace vipkit::notify {

struct InstanceMetrics {
  std::optional<ha::VrrpState> state;  // keepalived's last event for it
  std::uint64_t events = 0;            // keepalived's events applied
  // Applications that did something (common::counted_action), by action and result.
  std::map<std::pair<std::string, std::string>, std::uint64_t> actions;
  // The resident checks' (only for an instance file with track-dir):
  std::optional<bool> alive;     // the alive check's verdict, rise/fall applied
  std::optional<bool> eligible;  // the eligible check's
  common::LatencyHistogram health_checks;
  std::optional<ha::NodeState> local;
  std::optional<ha::NodeState> peer;
};

struct NotifyMetrics {
  std::map<std::string, InstanceMetrics> instances;
  std::uint64_t lines_skipped = 0;  // FIFO lines that are not keepalived's
};

// Pure: the Prometheus text exposition (tests/unit/test_notify_metrics.cpp).
std::string notify_metrics_text(const NotifyMetrics& metrics);

// The shared copy: short critical sections only (an increment, a copy).
class MetricsRegistry {
 public:
  template <typename Change>
  void change(Change&& change) {
    std::lock_guard lock(mutex_);
    change(metrics_);
  }
  NotifyMetrics snapshot() const {
    std::lock_guard lock(mutex_);
    return metrics_;
  }

 private:
  mutable std::mutex mutex_;
  NotifyMetrics metrics_;
};

}  // namespace vipkit::notify
