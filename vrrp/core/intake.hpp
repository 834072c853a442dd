#pragma once
// One IP packet received on the VRRP socket, taken in: the IPv4 header
// decoded, our own looped-back multicast set aside, the VRRP message decoded
// and checked against this instance (RFC 3768 §7.1, RFC 5798 §7.1). Pure:
// vipd's driver reads the socket and acts on the verdict; every rejection
// carries its reason and, when the IP header was readable, the sender.
#include <cstdint>
#include <span>

#include "vrrp/core/acceptance.hpp"
#include "vrrp/core/advert.hpp"

namespace vipkit::vrrp {

struct Intake {
  enum class Kind { accepted, own, rejected };
  Kind kind = Kind::rejected;
  std::uint32_t src_be = 0;            // 0 when the IP header itself was refused
  Advert advert;                       // accepted only
  Rejection rejection = Rejection::too_short;  // rejected only
};

// `own_address_be`: the interface's primary address, the source of our own
// adverts (multicast loops them back to us).
Intake take_in(std::span<const std::uint8_t> packet, std::uint32_t own_address_be, const InstanceIdentity& identity);

}  // namespace vipkit::vrrp
