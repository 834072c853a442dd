#pragma once
// The IPv4 envelope of a received VRRP packet (raw sockets deliver the IP
// header). Byte-wise; the kernel has already verified the IP checksum.
#include <cstdint>
#include <span>
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

}  // namespace vipkit::vrrp
