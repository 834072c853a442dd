#include "vrrp/vipd/sentinel_status.hpp"

#include "common/prometheus_text.hpp"
#include "vrrp/vipd/ip_text.hpp"

namespace vipkit::vipd {

std::string_view to_token(ha::LocalRole role) {
  switch (role) {
    case ha::LocalRole::master: return "master";
    case ha::LocalRole::replica: return "replica";
    case ha::LocalRole::unreachable: return "unreachable";
  }
  return "unreachable";
}

std::string describe(const ha::SentinelReport& r) {
  using Kind = ha::SentinelReport::Kind;
  switch (r.kind) {
    case Kind::unreachable: return "unreachable";
    case Kind::error: return "error: " + r.error;
    case Kind::unknown_master: return "unknown-master";
    case Kind::master:
      return r.master.to_string() + " epoch=" + std::to_string(r.config_epoch) +
             (r.failover_in_progress ? " failover-in-progress" : "");
  }
  return "unreachable";
}

nlohmann::json sentinel_status(const VipdConfig& config, const std::optional<SentinelRound>& last, bool holding,
                               bool vip_present, double last_change_unix) {
  nlohmann::json vips = nlohmann::json::array();
  for (const auto& vip : config.vips) vips.push_back(ip_text(vip.address_be) + "/" + std::to_string(vip.prefix_length));
  nlohmann::json out = {
      {"ok", true},
      {"instance", config.redis.instance},
      {"leader", "sentinel"},
      {"state", holding ? "master" : "backup"},
      {"interface", config.interface},
      {"vips", vips},
      {"vip_present", vip_present},
      {"last_change_unix", last_change_unix},
      {"sentinel", nullptr},
  };
  if (!last) return out;
  const auto& d = last->decision;
  nlohmann::json sentinels = nlohmann::json::array();
  for (std::size_t i = 0; i < last->reports.size() && i < config.sentinel->sentinels.size(); ++i) {
    sentinels.push_back({{"address", config.sentinel->sentinels[i].to_string()}, {"answer", describe(last->reports[i])}});
  }
  out["sentinel"] = {
      {"master_name", config.sentinel->master_name},
      {"on_quorum_loss", std::string(ha::to_token(config.sentinel->on_quorum_loss))},
      {"vip", std::string(ha::to_token(d.vip))},
      {"fence", std::string(ha::to_token(d.fence))},
      {"reason", std::string(d.reason)},
      {"elected", d.elected ? d.elected->to_string() : ""},
      {"epoch", d.epoch},
      {"configured", d.configured},
      {"views", d.views},
      {"votes", d.votes},
      {"stale", d.stale},
      {"local_role", std::string(to_token(last->local_role))},
      {"fence_error", last->fence_error},
      {"trigger", last->trigger},
      {"sentinels", sentinels},
  };
  return out;
}

std::string sentinel_metrics_text(const VipdConfig& config, const std::optional<SentinelRound>& last, bool holding,
                                  bool vip_present, double last_change_unix, const SentinelCounters& c) {
  common::PrometheusText out({{"instance", config.redis.instance}, {"interface", config.interface}});
  const auto n = [](std::uint64_t count) { return static_cast<long long>(count); };
  struct Scalar {
    const char* name;
    const char* type;
    const char* help;
    long long value;
  };
  const Scalar scalars[] = {
      {"vipkit_sentinel_vip_held", "gauge", "1 while the last decision holds the VIP on this host.", holding ? 1 : 0},
      {"vipkit_vip_present", "gauge", "1 when every VIP is on the interface.", vip_present ? 1 : 0},
      {"vipkit_garp_sent_total", "counter", "Gratuitous ARPs sent, one per VIP announced.", n(c.garps_sent)},
      {"vipkit_sentinel_vip_added_total", "counter", "Times the VIPs were added (or adopted).", n(c.vip_added)},
      {"vipkit_sentinel_vip_removed_total", "counter", "Times the VIPs were removed.", n(c.vip_removed)},
      {"vipkit_sentinel_fence_failures_total", "counter", "Rounds whose fence or unfence failed.",
       n(c.fence_failures)},
      {"vipkit_sentinel_configured", "gauge", "Sentinels configured.",
       static_cast<long long>(config.sentinel->sentinels.size())},
      {"vipkit_sentinel_views", "gauge", "Sentinels that answered the last round with a current view.",
       last ? last->decision.views : 0},
      {"vipkit_sentinel_votes", "gauge", "Views naming the local Redis, not failing it over.",
       last ? last->decision.votes : 0},
      {"vipkit_sentinel_config_epoch", "gauge", "The config epoch a majority stands behind.",
       last ? static_cast<long long>(last->decision.epoch) : 0},
      {"vipkit_sentinel_fenced", "gauge", "1 while the decision fences the local Redis (CLIENT PAUSE WRITE).",
       last && last->decision.fence == ha::FenceAction::fence ? 1 : 0},
  };
  for (const auto& s : scalars) out.family(s.name, s.type, s.help).sample(s.name, s.value);
  out.family("vipkit_sentinel_decision_info", "gauge", "The last decision: VIP action, reason, elected master, local role.");
  if (last) {
    const auto& d = last->decision;
    out.sample("vipkit_sentinel_decision_info", 1,
               {{"vip", std::string(ha::to_token(d.vip))},
                {"reason", std::string(d.reason)},
                {"elected", d.elected ? d.elected->to_string() : ""},
                {"local_role", std::string(to_token(last->local_role))}});
  }
  out.family("vipkit_sentinel_up", "gauge", "1 when the Sentinel answered the last round naming a master.");
  if (last) {
    for (std::size_t i = 0; i < last->reports.size() && i < config.sentinel->sentinels.size(); ++i) {
      out.sample("vipkit_sentinel_up", last->reports[i].kind == ha::SentinelReport::Kind::master ? 1 : 0,
                 {{"sentinel", config.sentinel->sentinels[i].to_string()}});
    }
  }
  out.family("vipkit_sentinel_rounds_total", "counter", "Rounds asked of the Sentinels, by what started them.");
  for (const auto& [trigger, count] : c.rounds) out.sample("vipkit_sentinel_rounds_total", count, {{"trigger", trigger}});
  out.family("vipkit_last_transition_timestamp_seconds", "gauge", "Time the VIPs were last added or removed.");
  if (last_change_unix > 0) out.sample("vipkit_last_transition_timestamp_seconds", fmt::format("{:.3f}", last_change_unix));
  out.family("vipkit_sentinel_round_duration_seconds", "histogram",
             "From a round's start (asking the Sentinels) to its execution on the VIPs.");
  out.histogram("vipkit_sentinel_round_duration_seconds", c.round_duration);
  return out.take();
}

bool round_is_news(const SentinelRound& round, const std::optional<SentinelRound>& previous) {
  if (!round.fence_error.empty() || !previous) return true;
  const auto& a = round.decision;
  const auto& b = previous->decision;
  return a.vip != b.vip || a.fence != b.fence || a.reason != b.reason || a.elected != b.elected || a.epoch != b.epoch;
}

}  // namespace vipkit::vipd
