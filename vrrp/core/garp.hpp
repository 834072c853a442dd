#pragma once
// Gratuitous ARP announcing a VIP (RFC 5798 §8.1.2 / RFC 5227 §3): an ARP
// request, broadcast, with sender hardware address = our MAC and sender
// protocol address = target protocol address = the VIP. Building the frame
// is pure; sending it (AF_PACKET) is vrrp/sys's job.
#include <array>
#include <cstdint>

namespace vipkit::vrrp {

using Mac = std::array<std::uint8_t, 6>;
inline constexpr std::size_t garp_frame_size = 42;  // Ethernet 14 + ARP 28

// The whole Ethernet frame, as keepalived sends it (target MAC broadcast).
std::array<std::uint8_t, garp_frame_size> build_garp(const Mac& mac, std::uint32_t vip_be);

}  // namespace vipkit::vrrp
