#include "common/listen_address.hpp"

#include "vrrp/core/ipv4.hpp"

namespace vipkit::common {

bool valid_listen_address(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || !vrrp::parse_ipv4_address(text.substr(0, colon))) return false;
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return false;
  const int number = std::stoi(port);
  return number >= 1 && number <= 65535;
}

}  // namespace vipkit::common
