#pragma once
// promote/demote output: the preflight table and each step with its
// duration for people; JSON (nlohmann) for scripts. Pure.
#include <string>

#include <nlohmann/json.hpp>

#include "vipctl/switchover.hpp"

namespace vipkit::vipctl {

nlohmann::json switchover_json(const SwitchoverReport& report);
std::string switchover_text(const SwitchoverReport& report);

}  // namespace vipkit::vipctl
