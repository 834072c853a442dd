#pragma once
// vipctl status output: a table for people, JSON (nlohmann, never string
// concatenation) for scripts, the Prometheus text format for
// node_exporter's textfile collector. Pure functions of the gathered status.
#include <string>

#include <nlohmann/json.hpp>

#include "vipctl/status.hpp"

namespace vipkit::vipctl {

nlohmann::json node_json(const NodeView& node, const NodeView& other);
nlohmann::json status_json(const PairStatus& status, const Health& health);
std::string status_table(const PairStatus& status, const Health& health);
std::string status_prometheus(const PairStatus& status, const Health& health);

}  // namespace vipkit::vipctl
