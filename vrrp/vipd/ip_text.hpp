#pragma once
// An IPv4 address in network byte order as dotted-quad text, for logs and
// the status report ("?" if it cannot be written).
#include <cstdint>
#include <string>

namespace vipkit::vipd {

std::string ip_text(std::uint32_t address_be);

}  // namespace vipkit::vipd
