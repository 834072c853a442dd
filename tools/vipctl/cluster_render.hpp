#pragma once
// vipctl cluster status output: the table (verdict, findings, one row a
// node) and the JSON document (nodes, findings, healthy).
#include <string>

#include <nlohmann/json.hpp>

#include "vipctl/cluster_status.hpp"

namespace vipkit::vipctl {

std::string cluster_table(const ClusterStatus& status, const ClusterHealth& health);
nlohmann::json cluster_json(const ClusterStatus& status, const ClusterHealth& health);

}  // namespace vipkit::vipctl
