// libFuzzer target: whatever arrives on the wire, the IPv4 envelope decoder,
// the advert decoder and the acceptance checks return a value or a reason —
// never crash, never read out of bounds — and an accepted advert re-encodes
// to the very bytes it came from.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <variant>
#include <algorithm>

#include "vrrp/core/acceptance.hpp"
#include "vrrp/core/advert.hpp"
#include "vrrp/core/ipv4.hpp"

using namespace vipkit::vrrp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  const auto ip = decode_ipv4(input);
  if (const auto* packet = std::get_if<Ipv4Packet>(&ip)) {
    const Decoded decoded = decode(packet->payload, packet->src_be, packet->dst_be);
    if (const auto* advert = std::get_if<Advert>(&decoded)) {
      (void)check_acceptance(*advert, packet->ttl, InstanceIdentity{});
      const auto again = encode(*advert, packet->src_be, packet->dst_be);
      // Round trip: encoding what decode accepted gives the same message,
      // except (a) the checksum, where 0x0000 and 0xffff are the same
      // one's-complement zero, and (b) the v3 reserved bits, which decode
      // ignores as RFC 5798 §5.2.5 says; and it decodes to the same advert.
      auto same = [&](std::size_t i) {
        if (i == 6 || i == 7) return true;
        if (i == 4 && advert->version == Version::v3) return (again[i] & 0x0f) == (packet->payload[i] & 0x0f);
        return again[i] == packet->payload[i];
      };
      if (again.size() != packet->payload.size()) std::abort();
      for (std::size_t i = 0; i < again.size(); ++i) {
        if (!same(i)) std::abort();
      }
      const Decoded redecoded = decode(again, packet->src_be, packet->dst_be);
      if (!std::holds_alternative<Advert>(redecoded) || std::get<Advert>(redecoded) != *advert) std::abort();
    }
  }
  return 0;
}
