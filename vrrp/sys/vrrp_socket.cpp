#include "vrrp/sys/vrrp_socket.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "vrrp/core/checksum.hpp"

namespace vipkit::vrrp::sys {

namespace {

SysResult<std::uint32_t> primary_address(const std::string& interface) {
  ifaddrs* raw = nullptr;
  if (getifaddrs(&raw) != 0) return errno_error("getifaddrs");
  std::unique_ptr<ifaddrs, decltype(&freeifaddrs)> list(raw, &freeifaddrs);
  for (const ifaddrs* i = list.get(); i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr != nullptr && i->ifa_addr->sa_family == AF_INET && interface == i->ifa_name) {
      return reinterpret_cast<const sockaddr_in*>(i->ifa_addr)->sin_addr.s_addr;
    }
  }
  return SysError{EADDRNOTAVAIL, "interface " + interface + " has no IPv4 address"};
}

}  // namespace

SysResult<VrrpSocket> VrrpSocket::open(const VrrpSocketOptions& options) {
  const unsigned ifindex = if_nametoindex(options.interface.c_str());
  if (ifindex == 0) return errno_error("interface " + options.interface);
  auto primary = primary_address(options.interface);
  if (!primary) return primary.error();

  const int fd = ::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, ip_protocol_vrrp);
  if (fd < 0) return errno_error("socket(AF_INET, SOCK_RAW, 112)");
  auto fail = [fd](const std::string& what) {
    SysError e = errno_error(what);
    ::close(fd);
    return e;
  };
  // Only this interface's traffic, as each instance runs on one link.
  if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, options.interface.c_str(),
                 static_cast<socklen_t>(options.interface.size())) != 0) {
    return fail("SO_BINDTODEVICE " + options.interface);
  }
  const int ttl = 255;
  const int tos = 0xc0;
  const int no_loop = 0;
  if (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl) != 0) return fail("IP_TTL");
  if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl) != 0) return fail("IP_MULTICAST_TTL");
  if (setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof tos) != 0) return fail("IP_TOS");
  if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &no_loop, sizeof no_loop) != 0) return fail("IP_MULTICAST_LOOP");
  // Read the TTL back: an advert leaving with anything but 255 is dropped
  // by every receiver, so a silent refusal here must not go unnoticed.
  int got = 0;
  socklen_t len = sizeof got;
  if (getsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &got, &len) != 0 || got != 255) {
    errno = errno ? errno : EINVAL;
    return fail("IP_MULTICAST_TTL is " + std::to_string(got) + ", not 255");
  }
  if (options.unicast_peers_be.empty()) {
    ip_mreqn group{};
    group.imr_multiaddr.s_addr = htonl(vrrp_multicast_host_order);
    group.imr_address.s_addr = primary.value();
    group.imr_ifindex = static_cast<int>(ifindex);
    if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &group, sizeof group) != 0) {
      return fail("join 224.0.0.18 on " + options.interface);
    }
    if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &group, sizeof group) != 0) return fail("IP_MULTICAST_IF");
  }
  return VrrpSocket(fd, static_cast<int>(ifindex), primary.value(), options.unicast_peers_be);
}

VrrpSocket::VrrpSocket(VrrpSocket&& other) noexcept
    : fd_(other.fd_), ifindex_(other.ifindex_), primary_be_(other.primary_be_), peers_(std::move(other.peers_)) {
  other.fd_ = -1;
}

VrrpSocket::~VrrpSocket() {
  if (fd_ >= 0) ::close(fd_);
}

std::uint32_t VrrpSocket::destination_be() const {
  return peers_.empty() ? htonl(vrrp_multicast_host_order) : peers_.front();
}

SysResult<Done> VrrpSocket::send(std::span<const std::uint8_t> message) {
  std::vector<std::uint32_t> targets = peers_;
  if (targets.empty()) targets.push_back(htonl(vrrp_multicast_host_order));
  for (std::uint32_t target : targets) {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = target;
    if (::sendto(fd_, message.data(), message.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to) < 0) {
      char text[INET_ADDRSTRLEN] = "?";
      inet_ntop(AF_INET, &target, text, sizeof text);
      return errno_error(std::string("send advert to ") + text);
    }
  }
  return Done{};
}

SysResult<std::size_t> VrrpSocket::receive(std::span<std::uint8_t> buffer) {
  const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
  if (n >= 0) return static_cast<std::size_t>(n);
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return std::size_t{0};
  return errno_error("receive advert");
}

}  // namespace vipkit::vrrp::sys
