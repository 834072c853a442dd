// libFuzzer target: what a client writes to vipd's control socket, and what
// vipctl reads back from whatever listens there, is a command (or an answer)
// or an error, never an exception; an error becomes a response line as
// vipd sends it (control_commands.cpp).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "vrrp/vipd/control_protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto request = vipkit::vipd::parse_request(input);
  if (!request) {
    const std::string line = vipkit::vipd::error_response(request.error());
    if (line.empty() || line.find('\n') != std::string::npos) std::abort();
  }
  const auto doc = nlohmann::json::parse(input, nullptr, /*allow_exceptions=*/false);
  (void)vipkit::vipd::parse_response(doc);
  return 0;
}
