#pragma once
// Raw IPv4 socket for IP protocol 112 on one interface: multicast group
// 224.0.0.18 joined there (RFC 5798 §5.1.1.2), or unicast peers; TTL 255 set
// and read back (a receiver drops anything else, RFC 5798 §7.1); TOS 0xc0
// (network control) as keepalived sends.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vrrp/sys/sys_error.hpp"

namespace vipkit::vrrp::sys {

inline constexpr std::uint32_t vrrp_multicast_host_order = 0xe0000012;  // 224.0.0.18

struct VrrpSocketOptions {
  std::string interface;
  std::vector<std::uint32_t> unicast_peers_be;  // empty: multicast
};

class VrrpSocket {
 public:
  static SysResult<VrrpSocket> open(const VrrpSocketOptions& options);
  VrrpSocket(VrrpSocket&& other) noexcept;
  VrrpSocket& operator=(VrrpSocket&&) = delete;
  VrrpSocket(const VrrpSocket&) = delete;
  ~VrrpSocket();

  // Send one VRRP message (no IP header: the kernel adds it) to the group or
  // to every unicast peer.
  SysResult<Done> send(std::span<const std::uint8_t> message);
  // One received IP packet (header included), without blocking: 0 bytes
  // when nothing is waiting.
  SysResult<std::size_t> receive(std::span<std::uint8_t> buffer);

  int fd() const { return fd_; }
  int ifindex() const { return ifindex_; }
  // The interface's primary IPv4 address: the source the kernel puts on our
  // adverts, needed for the v3 pseudo-header checksum and the tie-break.
  std::uint32_t primary_address_be() const { return primary_be_; }
  std::uint32_t destination_be() const;

 private:
  VrrpSocket(int fd, int ifindex, std::uint32_t primary_be, std::vector<std::uint32_t> peers)
      : fd_(fd), ifindex_(ifindex), primary_be_(primary_be), peers_(std::move(peers)) {}
  int fd_;
  int ifindex_;
  std::uint32_t primary_be_;
  std::vector<std::uint32_t> peers_;
};

}  // namespace vipkit::vrrp::sys
