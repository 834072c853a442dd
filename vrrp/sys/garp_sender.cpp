#include "vrrp/sys/garp_sender.hpp"

#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <cerrno>
#include <cstring>

namespace vipkit::vrrp::sys {

SysResult<GarpSender> GarpSender::open(const std::string& interface) {
  const unsigned ifindex = if_nametoindex(interface.c_str());
  if (ifindex == 0) return errno_error("interface " + interface);
  // Protocol 0: this socket only sends, it receives nothing.
  const int fd = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno_error("socket(AF_PACKET)");
  ifreq req{};
  std::strncpy(req.ifr_name, interface.c_str(), IFNAMSIZ - 1);
  if (::ioctl(fd, SIOCGIFHWADDR, &req) != 0) {
    SysError e = errno_error("MAC of " + interface);
    ::close(fd);
    return e;
  }
  Mac mac{};
  std::memcpy(mac.data(), req.ifr_hwaddr.sa_data, mac.size());
  return GarpSender(fd, static_cast<int>(ifindex), mac);
}

GarpSender::~GarpSender() {
  if (fd_ >= 0) ::close(fd_);
}

SysResult<Done> GarpSender::announce(std::uint32_t vip_be) {
  const auto frame = build_garp(mac_, vip_be);
  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_ifindex = ifindex_;
  to.sll_protocol = htons(ETH_P_ARP);
  to.sll_halen = ETH_ALEN;
  std::memset(to.sll_addr, 0xff, ETH_ALEN);
  if (::sendto(fd_, frame.data(), frame.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to) < 0) {
    return errno_error("send gratuitous ARP");
  }
  return Done{};
}

}  // namespace vipkit::vrrp::sys
