#include "vrrp/core/garp.hpp"

#include <algorithm>

namespace vipkit::vrrp {

std::array<std::uint8_t, garp_frame_size> build_garp(const Mac& mac, std::uint32_t vip_be) {
  std::array<std::uint8_t, garp_frame_size> f{};
  const auto vip = reinterpret_cast<const std::uint8_t*>(&vip_be);
  auto at = f.begin();
  at = std::fill_n(at, 6, 0xff);              // Ethernet destination: broadcast
  at = std::copy(mac.begin(), mac.end(), at);  // Ethernet source
  *at++ = 0x08; *at++ = 0x06;                  // EtherType ARP
  *at++ = 0x00; *at++ = 0x01;                  // hardware type Ethernet
  *at++ = 0x08; *at++ = 0x00;                  // protocol type IPv4
  *at++ = 6;    *at++ = 4;                     // address lengths
  *at++ = 0x00; *at++ = 0x01;                  // operation: request
  at = std::copy(mac.begin(), mac.end(), at);  // sender hardware address
  at = std::copy_n(vip, 4, at);                // sender protocol address = VIP
  at = std::fill_n(at, 6, 0xff);               // target hardware address (keepalived: broadcast)
  std::copy_n(vip, 4, at);                     // target protocol address = VIP
  return f;
}

}  // namespace vipkit::vrrp
