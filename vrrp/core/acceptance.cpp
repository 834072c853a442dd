#include "vrrp/core/acceptance.hpp"

namespace vipkit::vrrp {

namespace {
// Compare every byte whatever the first difference, so the time taken does
// not tell an attacker how much of a guessed password was right.
bool equal_constant_time(const std::array<std::uint8_t, 8>& a, const std::array<std::uint8_t, 8>& b) {
  std::uint8_t diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff = static_cast<std::uint8_t>(diff | (a[i] ^ b[i]));
  return diff == 0;
}
}  // namespace

std::optional<Rejection> check_acceptance(const Advert& advert, std::uint8_t ttl, const InstanceIdentity& self) {
  // A packet not sent on this link has crossed a router: TTL below 255.
  if (ttl != 255) return Rejection::ttl_not_255;
  if (advert.version != self.version) return Rejection::version_mismatch;
  if (advert.vrid != self.vrid) return Rejection::vrid_mismatch;
  if (advert.version == Version::v2) {
    if (advert.auth_type != self.auth_type) return Rejection::auth_mismatch;
    if (self.auth_type == AuthType::simple && !equal_constant_time(advert.auth_data, self.auth_data)) {
      return Rejection::auth_mismatch;
    }
    // RFC 3768 §7.1: a v2 advert whose interval differs from ours is dropped.
    if (advert.max_advert_interval != self.advert_interval) return Rejection::interval_mismatch;
  }
  return std::nullopt;
}

}  // namespace vipkit::vrrp
