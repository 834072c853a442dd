#include "vip-notify/notify_metrics.hpp"

#include <vector>

#include "common/prometheus_text.hpp"
#include "common/redis_pair_metrics.hpp"

namespace vipkit::notify {

namespace {

using common::PrometheusLabels;

PrometheusLabels of(const std::string& instance) { return {{"instance", instance}}; }

}  // namespace

std::string notify_metrics_text(const NotifyMetrics& m) {
  // No common labels: one process serves every vrrp_instance of the host.
  common::PrometheusText out({});
  out.family("vipkit_vrrp_state", "gauge",
             "keepalived's last state for the instance: 0 initialize or stop, 1 backup, 2 master, 3 fault.");
  for (const auto& [name, i] : m.instances) {
    if (i.state) out.sample("vipkit_vrrp_state", common::vrrp_state_number(ha::to_token(*i.state)).value_or(0), of(name));
  }
  out.family("vipkit_notify_events_total", "counter", "keepalived's events applied, from the notify FIFO.");
  for (const auto& [name, i] : m.instances) out.sample("vipkit_notify_events_total", i.events, of(name));
  out.family("vipkit_notify_lines_skipped_total", "counter", "Notify FIFO lines that are not keepalived's, skipped.")
      .sample("vipkit_notify_lines_skipped_total", m.lines_skipped);
  out.family("vipkit_healthy", "gauge",
             "1 when the resident check passes (rise/fall applied): alive (keepalived's .alive file) or "
             "eligible (.eligible).");
  for (const auto& [name, i] : m.instances) {
    if (i.alive) out.sample("vipkit_healthy", *i.alive ? 1 : 0, {{"instance", name}, {"check", "alive"}});
    if (i.eligible) out.sample("vipkit_healthy", *i.eligible ? 1 : 0, {{"instance", name}, {"check", "eligible"}});
  }
  std::vector<common::RedisPairSeen> pairs;
  for (const auto& [name, i] : m.instances) pairs.push_back({of(name), i.local, i.peer});
  common::redis_pair_families(out, pairs);
  out.family("vipkit_failover_actions_total", "counter",
             "Actions taken on Redis for a VRRP state, by action and result (ok or the failure's reason).");
  for (const auto& [name, i] : m.instances) {
    for (const auto& [key, count] : i.actions) {
      out.sample("vipkit_failover_actions_total", count,
                 {{"instance", name}, {"action", key.first}, {"result", key.second}});
    }
  }
  out.family("vipkit_health_check_duration_seconds", "histogram", "Resident health check latency, local and peer.");
  for (const auto& [name, i] : m.instances) {
    if (i.health_checks.count > 0) out.histogram("vipkit_health_check_duration_seconds", i.health_checks, of(name));
  }
  return out.take();
}

}  // namespace vipkit::notify
