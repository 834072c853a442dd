#include "vipctl/cluster_failover_render.hpp"

#include <fmt/format.h>

#include "vipctl/step_render.hpp"

namespace vipkit::vipctl {

std::string cluster_failover_text(const ClusterFailoverReport& r) {
  std::string out;
  if (r.result == ClusterFailoverResult::refused) {
    // Nothing was done: the reasons alone, one line each.
    for (const auto& c : r.preflight.checks) {
      if (c.status == CheckStatus::fail) out += fmt::format("refused: {}: {}\n", c.name, c.detail);
    }
    return out;
  }
  if (const auto& p = r.preflight.plan) {
    out += fmt::format("cluster failover {} ({}) -> {} ({}), slots {}, mode {}\n", p->master_address,
                       p->master_id.substr(0, 8), p->replica_address, p->replica_id.substr(0, 8),
                       redis::slots_text(p->slots), to_token(r.mode));
  } else {
    out += fmt::format("cluster failover to {}, mode {}\n", r.replica, to_token(r.mode));
  }
  if (!risk_of(r.mode).empty()) out += fmt::format("RISK: {}\n", risk_of(r.mode));
  out += checks_text(r.preflight.checks);
  out += steps_text(r.steps);
  for (const auto& p : r.pending) out += fmt::format("  ! pending: {}\n", p);
  out += fmt::format("result: {}{}, {} ms in all\n", to_token(r.result), r.reason.empty() ? "" : " (" + r.reason + ")",
                     r.total.count());
  return out;
}

nlohmann::json cluster_failover_json(const ClusterFailoverReport& r) {
  nlohmann::json plan = nullptr;
  if (const auto& p = r.preflight.plan) {
    plan = {{"replica_id", p->replica_id},
            {"replica", p->replica_address},
            {"master_id", p->master_id},
            {"master", p->master_address},
            {"slots", redis::slots_text(p->slots)}};
  }
  const std::string_view risk = risk_of(r.mode);
  return {{"op", "cluster-failover"},
          {"result", std::string(to_token(r.result))},
          {"ok", r.result == ClusterFailoverResult::done},
          {"reason", r.reason},
          {"mode", std::string(to_token(r.mode))},
          {"risk", risk.empty() ? nlohmann::json(nullptr) : nlohmann::json(std::string(risk))},
          {"replica", r.replica},
          {"plan", plan},
          {"preflight", checks_json(r.preflight.checks)},
          {"steps", steps_json(r.steps)},
          {"pending", r.pending},
          {"retry_in_ms", r.retry_in.count()},
          {"total_ms", r.total.count()}};
}

}  // namespace vipkit::vipctl
