#include "vrrp/vipd/control_commands.hpp"

#include <chrono>

#include "common/preference.hpp"
#include "common/state_file.hpp"
#include "vrrp/vipd/ip_text.hpp"

namespace vipkit::vipd {

std::string ControlCommands::answer(std::string_view request) {
  const auto parsed = parse_request(request);
  if (!parsed) {
    log_->info("control instance={} cmd=invalid error={}", config_.redis.instance, common::kv_value(parsed.error()));
    return error_response(parsed.error());
  }
  const Command command = parsed.value();
  log_->info("control instance={} cmd={} state={}", config_.redis.instance, to_token(command),
             target_.state_token());
  const auto now = std::chrono::steady_clock::now();
  switch (command) {
    case Command::status: {
      auto live = target_.status();
      const auto state = common::read_state(config_.redis.state_dir, config_.redis.instance);
      return status_response(
          status_report(config_, std::move(live), state.contains("last") ? state["last"] : nlohmann::json(nullptr)));
    }
    case Command::promote:
      // Out of the election (Redis unhealthy), taking over is impossible:
      // refused before the preference is written, with the reason.
      if (target_.vrrp_state() == vrrp::State::initialize) {
        return error_response("not healthy: " + target_.health_reason());
      }
      target_.set_preference(common::preference_promoted);
      target_.take_over(now);
      return state_response(target_.state_token());
    case Command::demote:
      target_.set_preference(common::preference_demoted);
      target_.resign(now);
      return state_response(target_.state_token());
  }
  return error_response("unknown command");
}

StatusReport status_report(const VipdConfig& config, InstanceStatus live, nlohmann::json last_transition) {
  StatusReport r;
  r.instance = config.redis.instance;
  r.state = std::move(live.state);
  r.priority = config.priority;
  r.effective_priority = live.effective_priority;
  r.preference = live.preference;
  r.interface = config.interface;
  r.vrid = config.identity.vrid;
  r.version = static_cast<int>(config.identity.version);
  for (const auto& vip : config.vips) r.vips.push_back(ip_text(vip.address_be) + "/" + std::to_string(vip.prefix_length));
  r.vip_present = live.vip_present;
  r.master_ip = live.master_ip_be ? ip_text(live.master_ip_be) : "";
  r.healthy = live.healthy;
  r.health_reason = std::move(live.health_reason);
  r.local = std::move(live.local);
  r.peer = std::move(live.peer);
  r.counters = std::move(live.counters);
  r.last_transition = std::move(last_transition);
  return r;
}

}  // namespace vipkit::vipd
