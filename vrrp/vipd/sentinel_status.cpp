#include "vrrp/vipd/sentinel_status.hpp"

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

bool round_is_news(const SentinelRound& round, const std::optional<SentinelRound>& previous) {
  if (!round.fence_error.empty() || !previous) return true;
  const auto& a = round.decision;
  const auto& b = previous->decision;
  return a.vip != b.vip || a.fence != b.fence || a.reason != b.reason || a.elected != b.elected || a.epoch != b.epoch;
}

}  // namespace vipkit::vipd
