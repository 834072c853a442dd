#pragma once
// vipctl cluster upgrade's output once it ran (or was refused): the plan
// when nothing ran, the step log, the result, and after a stop what is
// left. --dry-run prints the plan alone (upgrade_render). Pure.
#include <string>

#include <nlohmann/json.hpp>

#include "vipctl/cluster_upgrade_run.hpp"

namespace vipkit::vipctl {

std::string cluster_upgrade_text(const ClusterUpgradeReport& report);
// {result, reason, detail, plan, steps [{name, ok, ms, detail}], remaining
//  [plan steps], pending [{reason, detail}], original_masters, state_file, total_ms}
nlohmann::json cluster_upgrade_json(const ClusterUpgradeReport& report);

}  // namespace vipkit::vipctl
