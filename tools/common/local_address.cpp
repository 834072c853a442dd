#include "common/local_address.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace vipkit::common {

IoResult<bool> is_local_address(const std::string& address) {
  in_addr v4{};
  in6_addr v6{};
  const bool is_v4 = inet_pton(AF_INET, address.c_str(), &v4) == 1;
  if (!is_v4 && inet_pton(AF_INET6, address.c_str(), &v6) != 1) {
    return IoError{EINVAL, "not an IP address: " + address};
  }
  ifaddrs* raw = nullptr;
  if (getifaddrs(&raw) != 0) return errno_error("getifaddrs");
  std::unique_ptr<ifaddrs, decltype(&freeifaddrs)> list(raw, &freeifaddrs);
  for (const ifaddrs* i = list.get(); i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr) continue;
    if (is_v4 && i->ifa_addr->sa_family == AF_INET) {
      const auto* sin = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
      if (sin->sin_addr.s_addr == v4.s_addr) return true;
    } else if (!is_v4 && i->ifa_addr->sa_family == AF_INET6) {
      const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(i->ifa_addr);
      if (std::memcmp(&sin6->sin6_addr, &v6, sizeof v6) == 0) return true;
    }
  }
  return false;
}

}  // namespace vipkit::common
