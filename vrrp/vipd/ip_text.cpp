#include "vrrp/vipd/ip_text.hpp"

#include <arpa/inet.h>

namespace vipkit::vipd {

std::string ip_text(std::uint32_t address_be) {
  char buf[INET_ADDRSTRLEN] = "?";
  inet_ntop(AF_INET, &address_be, buf, sizeof buf);
  return buf;
}

}  // namespace vipkit::vipd
