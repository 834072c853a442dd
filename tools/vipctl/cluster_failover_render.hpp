#pragma once
// vipctl cluster failover output: for people, the plan, the preflight (a
// refusal: only its failing checks, one line each), the steps with their ms
// and the result; JSON (nlohmann) for scripts. Pure.
#include <string>

#include <nlohmann/json.hpp>

#include "vipctl/cluster_failover_run.hpp"

namespace vipkit::vipctl {

std::string cluster_failover_text(const ClusterFailoverReport& report);
nlohmann::json cluster_failover_json(const ClusterFailoverReport& report);

}  // namespace vipkit::vipctl
