#pragma once
// vipctl status when vipd follows Sentinel (leader = sentinel): what the
// local vipd's status answer says, as a table, and whether it is healthy.
// Pure: commands.cpp asks the socket.
#include <string>

#include <nlohmann/json.hpp>

#include "base/io_error.hpp"

namespace vipkit::vipctl {

// Healthy: vipd answered with a Sentinel view in which this host does what
// the majority says — holds the VIP as the elected master
// (`local-elected`) or stays off it as a replica (`local-replica`). Every
// other reason (quorum lost, split reports, another master while the local
// Redis is still one, the local Redis down) is a state to look at.
bool sentinel_view_healthy(const IoResult<nlohmann::json>& answer);

// The table: the instance, the VIP and whether this host holds it, the
// decision and its reason, the local Redis's role, one line per Sentinel;
// or the one line saying why vipd's answer is missing.
std::string sentinel_view_text(const IoResult<nlohmann::json>& answer, const std::string& socket);

}  // namespace vipkit::vipctl
