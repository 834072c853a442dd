#include "vipctl/upgrade_render.hpp"

#include <fmt/format.h>

#include <optional>

namespace vipkit::vipctl {

namespace {

nlohmann::json node_json(const NodeRef& n) {
  if (n.id.empty() && n.address.empty()) return nullptr;
  return {{"id", n.id}, {"address", n.address}};
}

std::string stage_title(Stage stage) {
  switch (stage) {
    case Stage::preflight: return "before any restart";
    case Stage::replicas: return "replicas, one at a time";
    case Stage::masters: return "masters: fail over, restart, rejoin";
    case Stage::swap_back: return "swap back: the original masters take their slots back";
  }
  return "";
}

}  // namespace

std::string upgrade_plan_text(const UpgradePlan& plan) {
  std::string out;
  if (plan.refused()) {
    out += "upgrade refused:\n";
    for (const auto& f : plan.refusals) out += fmt::format("  ! {}: {}\n", f.reason, f.detail);
  } else {
    out += fmt::format("upgrade plan: {} steps\n", plan.steps.size());
    std::optional<Stage> stage;
    for (std::size_t i = 0; i < plan.steps.size(); ++i) {
      const auto& step = plan.steps[i];
      if (stage != step.stage) {
        stage = step.stage;
        out += fmt::format("{}:\n", stage_title(step.stage));
      }
      out += fmt::format("  {:>2}. {}\n", i + 1, step.description);
    }
  }
  for (const auto& s : plan.skipped) out += fmt::format("skipped: {} ({})\n", s.node.address, s.reason);
  for (const auto& n : plan.notes) out += fmt::format("note: {}\n", n);
  return out;
}

nlohmann::json upgrade_plan_json(const UpgradePlan& plan) {
  nlohmann::json j;
  j["refused"] = plan.refused();
  j["refusals"] = nlohmann::json::array();
  for (const auto& f : plan.refusals) j["refusals"].push_back({{"reason", f.reason}, {"detail", f.detail}});
  j["steps"] = nlohmann::json::array();
  for (const auto& s : plan.steps) {
    j["steps"].push_back({{"kind", to_token(s.kind)},
                          {"stage", to_token(s.stage)},
                          {"node", node_json(s.node)},
                          {"peer", node_json(s.peer)},
                          {"description", s.description}});
  }
  j["skipped"] = nlohmann::json::array();
  for (const auto& s : plan.skipped) j["skipped"].push_back({{"node", node_json(s.node)}, {"reason", s.reason}});
  j["notes"] = plan.notes;
  return j;
}

}  // namespace vipkit::vipctl
