#include "vrrp/vipd/metrics_text.hpp"

#include <fmt/format.h>

#include "common/prometheus_text.hpp"
#include "common/redis_pair_metrics.hpp"

namespace vipkit::vipd {

namespace {

using common::PrometheusText;

PrometheusText exposition_for(const StatusReport& r) {
  return PrometheusText({{"instance", r.instance}, {"interface", r.interface}, {"vrid", std::to_string(r.vrid)}});
}

}  // namespace

std::string metrics_text(const StatusReport& r) {
  const Counters& c = r.counters;
  PrometheusText out = exposition_for(r);
  // The families with one sample and no label of their own.
  struct Scalar {
    const char* name;
    const char* type;
    const char* help;
    long long value;
  };
  const auto n = [](std::uint64_t count) { return static_cast<long long>(count); };
  const Scalar scalars[] = {
      {"vipkit_vrrp_state", "gauge", "VRRP state: 0 initialize, 1 backup, 2 master, 3 fault.",
       common::vrrp_state_number(r.state).value_or(0)},
      {"vipkit_vrrp_priority", "gauge", "Configured VRRP priority.", r.priority},
      {"vipkit_vrrp_effective_priority", "gauge", "Priority advertised now (preference applied).", r.effective_priority},
      {"vipkit_vrrp_preference", "gauge", "Switchover preference of this host, -1..2 (vipctl).", r.preference},
      {"vipkit_advertisements_received_total", "counter", "VRRP adverts received and accepted.", n(c.adverts_rx)},
      {"vipkit_advertisements_sent_total", "counter", "VRRP adverts sent.", n(c.adverts_tx)},
      {"vipkit_advertisements_held_total", "counter",
       "Adverts of a second master not obeyed while the data decided who keeps the role.", n(c.adverts_held)},
      {"vipkit_advertisements_muted_total", "counter",
       "Adverts not sent by a master whose VIPs were not on yet (its takeover hands over once they are).",
       n(c.adverts_muted)},
      {"vipkit_priority_zero_received_total", "counter", "Priority-0 adverts received (a master resigning).",
       n(c.priority_zero_rx)},
      {"vipkit_priority_zero_sent_total", "counter", "Priority-0 adverts sent (resigning).", n(c.priority_zero_tx)},
      {"vipkit_become_master_total", "counter", "Transitions to VRRP master.", n(c.became_master)},
      {"vipkit_release_master_total", "counter", "Transitions out of VRRP master.", n(c.left_master)},
      {"vipkit_garp_sent_total", "counter", "Gratuitous ARPs sent, one per VIP announced.", n(c.garps_sent)},
      {"vipkit_vip_present", "gauge", "1 when every VIP is on the interface.", r.vip_present ? 1 : 0},
      {"vipkit_healthy", "gauge", "1 when the local Redis passes the health check (rise/fall applied).",
       r.healthy ? 1 : 0},
  };
  for (const auto& s : scalars) out.family(s.name, s.type, s.help).sample(s.name, s.value);

  out.family("vipkit_advertisements_rejected_total", "counter", "VRRP packets refused, by reason.");
  for (const auto& [reason, count] : c.rejected) out.sample("vipkit_advertisements_rejected_total", count, {{"reason", reason}});
  common::redis_pair_families(out, {{{}, r.local, r.peer}});
  out.family("vipkit_last_transition_timestamp_seconds", "gauge", "Time of the last VRRP state change.");
  if (r.last_change) {
    out.sample("vipkit_last_transition_timestamp_seconds", fmt::format("{:.3f}", r.last_change->unix_seconds));
  }
  out.family("vipkit_last_transition_info", "gauge", "The last VRRP state change: its new state and reason.");
  if (r.last_change) {
    out.sample("vipkit_last_transition_info", 1, {{"state", r.last_change->to}, {"reason", r.last_change->reason}});
  }
  out.family("vipkit_failover_actions_total", "counter",
             "Actions taken on Redis for a VRRP state, by action and result (ok or the failure's reason).");
  for (const auto& [key, count] : c.actions) {
    out.sample("vipkit_failover_actions_total", count, {{"action", key.first}, {"result", key.second}});
  }
  out.family("vipkit_health_check_duration_seconds", "histogram", "Health check latency, local and peer.");
  out.histogram("vipkit_health_check_duration_seconds", c.health_checks);
  return out.take();
}

}  // namespace vipkit::vipd
