#pragma once
// Client side of vipd's control socket (docs/vipd.md): connect to the unix
// socket, send one JSON request line, read one JSON response line. Bounded
// by one deadline; used by vipctl and the tests.
#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "redis/result.hpp"

namespace vipkit::common {

// The response, parsed; an error when the socket cannot be reached, the
// deadline passes, or the answer is not one JSON object.
redis::Result<nlohmann::json> control_request(const std::string& socket_path, const nlohmann::json& request,
                                              std::chrono::milliseconds timeout);

}  // namespace vipkit::common
