// libFuzzer target: a line read from keepalived's notify FIFO (anything a
// process with write access to the FIFO sends) is an event or a reason to
// ignore it, never a crash; an event's priority is a VRRP priority.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vip-notify/event.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const auto parsed = vipkit::notify::parse_fifo_line(line);
  if (parsed.event.has_value() == !parsed.ignored.empty()) std::abort();
  if (parsed.event && parsed.event->priority && (*parsed.event->priority < 0 || *parsed.event->priority > 255)) {
    std::abort();
  }
  return 0;
}
