#pragma once
// Client side of vipd's control socket (docs/vipd.md): connect to the unix
// socket, send one JSON request line, read one JSON response line. Bounded
// by one deadline; used by vipctl and the tests.
#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "base/io_error.hpp"

namespace vipkit::common {

// The response, parsed; an error when the socket cannot be reached (its
// errno), the deadline passes (ETIMEDOUT), or the answer is not one JSON
// object (EPROTO).
IoResult<nlohmann::json> control_request(const std::string& socket_path, const nlohmann::json& request,
                                         std::chrono::milliseconds timeout);

}  // namespace vipkit::common
