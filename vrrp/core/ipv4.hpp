#pragma once
// The IPv4 envelope of a received VRRP packet (raw sockets deliver the IP
// header). Byte-wise; the kernel has already verified the IP checksum.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <variant>

#include "vrrp/core/advert.hpp"

namespace vipkit::vrrp {

struct Ipv4Packet {
  std::uint32_t src_be = 0;
  std::uint32_t dst_be = 0;
  std::uint8_t ttl = 0;
  std::span<const std::uint8_t> payload;
};

std::variant<Ipv4Packet, Rejection> decode_ipv4(std::span<const std::uint8_t> packet);

// A dotted-quad IPv4 address ("192.0.2.100"), in network byte order; nullopt
// for anything else (a prefix length, a name, IPv6). The one parser of the
// addresses in vipkit's configs (VIPs, unicast peers, advert address lists).
std::optional<std::uint32_t> parse_ipv4_address(std::string_view text);

}  // namespace vipkit::vrrp
