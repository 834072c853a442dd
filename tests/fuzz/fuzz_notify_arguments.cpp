// libFuzzer target: the positional arguments keepalived's generic `notify`
// (or an operator) passes, split on NUL or space (empty ones kept, as argv
// can hold them), are an event or a reason, never a crash.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "vip-notify/event.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> args(1);
  for (std::size_t i = 0; i < size; ++i) {
    const char c = static_cast<char>(data[i]);
    if (c == '\0' || c == ' ') {
      args.emplace_back();
    } else {
      args.back() += c;
    }
  }
  if (size == 0) args.clear();
  const auto parsed = vipkit::notify::parse_arguments(args);
  if (parsed.event.has_value() == !parsed.ignored.empty()) std::abort();
  return 0;
}
