#pragma once
// The preflight checks and the step log as promote/demote and cluster
// failover print them: one line a check (status, name, detail), one line a
// step (ok/FAILED, name, ms, detail), and their JSON arrays. Pure.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ha/procedures.hpp"
#include "vipctl/preflight.hpp"

namespace vipkit::vipctl {

std::string checks_text(const std::vector<Check>& checks);  // "preflight:\n" and a line a check
std::string steps_text(const std::vector<ha::Step>& steps);  // "steps:\n" and a line a step; "" when none
nlohmann::json checks_json(const std::vector<Check>& checks);
nlohmann::json steps_json(const std::vector<ha::Step>& steps);

}  // namespace vipkit::vipctl
