#pragma once
// vipctl cluster upgrade --dry-run: the plan as text (one numbered line a
// step, grouped by stage, then what is skipped and why) and as JSON. Pure.
#include <string>

#include <nlohmann/json.hpp>

#include "vipctl/upgrade_plan.hpp"

namespace vipkit::vipctl {

std::string upgrade_plan_text(const UpgradePlan& plan);
nlohmann::json upgrade_plan_json(const UpgradePlan& plan);

}  // namespace vipkit::vipctl
