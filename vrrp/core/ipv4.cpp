#include "vrrp/core/ipv4.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <string>

#include "vrrp/core/checksum.hpp"

namespace vipkit::vrrp {

std::variant<Ipv4Packet, Rejection> decode_ipv4(std::span<const std::uint8_t> p) {
  if (p.size() < 20) return Rejection::too_short;
  if (p[0] >> 4 != 4) return Rejection::not_ipv4;
  const std::size_t header_length = static_cast<std::size_t>(p[0] & 0x0f) * 4;
  if (header_length < 20 || header_length > p.size()) return Rejection::not_ipv4;
  const std::size_t total_length = static_cast<std::size_t>(p[2] << 8 | p[3]);
  if (total_length < header_length || total_length > p.size()) return Rejection::length_mismatch;
  if (p[9] != ip_protocol_vrrp) return Rejection::not_vrrp;
  Ipv4Packet ip;
  ip.ttl = p[8];
  std::copy_n(p.begin() + 12, 4, reinterpret_cast<std::uint8_t*>(&ip.src_be));
  std::copy_n(p.begin() + 16, 4, reinterpret_cast<std::uint8_t*>(&ip.dst_be));
  ip.payload = p.subspan(header_length, total_length - header_length);
  return ip;
}

std::optional<std::uint32_t> parse_ipv4_address(std::string_view text) {
  const std::string terminated(text);  // inet_pton wants a C string
  in_addr a{};
  if (inet_pton(AF_INET, terminated.c_str(), &a) != 1) return std::nullopt;
  return a.s_addr;
}

}  // namespace vipkit::vrrp
