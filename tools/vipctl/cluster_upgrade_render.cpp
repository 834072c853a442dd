#include "vipctl/cluster_upgrade_render.hpp"

#include <fmt/format.h>

#include "vipctl/step_render.hpp"
#include "vipctl/upgrade_render.hpp"

namespace vipkit::vipctl {

std::string cluster_upgrade_text(const ClusterUpgradeReport& r) {
  if (r.result == ClusterUpgradeResult::dry_run || r.reason == "plan-refused") return upgrade_plan_text(r.plan);
  std::string out;
  if (r.result == ClusterUpgradeResult::refused) return fmt::format("refused: {}: {}\n", r.reason, r.detail);
  out += steps_text(r.steps);
  for (const auto& s : r.plan.skipped) out += fmt::format("skipped: {} ({})\n", s.node.address, s.reason);
  if (r.result == ClusterUpgradeResult::done) {
    out += fmt::format("upgrade done: {} steps in {} ms\n", r.steps.size(), r.total.count());
    return out;
  }
  out += fmt::format("upgrade stopped: {}: {}\n", r.reason, r.detail);
  for (const auto& f : r.pending) out += fmt::format("  missing: {}: {}\n", f.reason, f.detail);
  out += fmt::format("left ({} steps, the failed one first; fix the cause, then run the same command again):\n",
                     r.remaining.size());
  for (const auto& s : r.remaining) out += fmt::format("  - {}\n", s.description);
  return out;
}

nlohmann::json cluster_upgrade_json(const ClusterUpgradeReport& r) {
  nlohmann::json j;
  j["result"] = std::string(to_token(r.result));
  j["reason"] = r.reason;
  j["detail"] = r.detail;
  j["plan"] = upgrade_plan_json(r.plan);
  j["steps"] = steps_json(r.steps);
  UpgradePlan left;
  left.steps = r.remaining;
  j["remaining"] = upgrade_plan_json(left)["steps"];
  j["pending"] = nlohmann::json::array();
  for (const auto& f : r.pending) j["pending"].push_back({{"reason", f.reason}, {"detail", f.detail}});
  j["original_masters"] = r.original_masters;
  j["state_file"] = r.state_file;
  j["total_ms"] = r.total.count();
  return j;
}

}  // namespace vipkit::vipctl
