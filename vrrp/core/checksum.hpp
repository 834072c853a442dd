#pragma once
// The Internet checksum (RFC 1071) as VRRP uses it: RFC 3768 §5.3.8 (v2)
// over the VRRP message only; RFC 5798 §5.2.8 (v3) over the IPv4
// pseudo-header (src, dst, zero, protocol 112, VRRP length) followed by the
// VRRP message.
#include <cstdint>
#include <span>

namespace vipkit::vrrp {

inline constexpr std::uint8_t ip_protocol_vrrp = 112;

// One's-complement sum folded to 16 bits and complemented, in host order.
std::uint16_t internet_checksum(std::span<const std::uint8_t> data, std::uint32_t initial_sum = 0);

// Sum of the IPv4 pseudo-header, to pass as `initial_sum`. Addresses in
// network byte order as they appear on the wire.
std::uint32_t pseudo_header_sum(std::uint32_t src_be, std::uint32_t dst_be, std::uint16_t vrrp_length);

}  // namespace vipkit::vrrp
