#include "vrrp/core/intake.hpp"

#include <variant>

#include "vrrp/core/ipv4.hpp"

namespace vipkit::vrrp {

Intake take_in(std::span<const std::uint8_t> packet, std::uint32_t own_address_be, const InstanceIdentity& identity) {
  Intake in;
  const auto ip = decode_ipv4(packet);
  if (const auto* why = std::get_if<Rejection>(&ip)) {
    in.rejection = *why;
    return in;
  }
  const auto& header = std::get<Ipv4Packet>(ip);
  in.src_be = header.src_be;
  if (header.src_be == own_address_be) {
    in.kind = Intake::Kind::own;
    return in;
  }
  const auto decoded = decode(header.payload, header.src_be, header.dst_be);
  if (const auto* why = std::get_if<Rejection>(&decoded)) {
    in.rejection = *why;
    return in;
  }
  const auto& advert = std::get<Advert>(decoded);
  if (const auto why = check_acceptance(advert, header.ttl, identity)) {
    in.rejection = *why;
    return in;
  }
  in.kind = Intake::Kind::accepted;
  in.advert = advert;
  return in;
}

}  // namespace vipkit::vrrp
