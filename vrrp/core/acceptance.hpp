#pragma once
// Is a decoded advert for this virtual router, and acceptable? The checks of
// RFC 3768 §7.1 and RFC 5798 §7.1 that depend on the instance's
// configuration (the codec has already checked the message itself).
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>

#include "vrrp/core/advert.hpp"

namespace vipkit::vrrp {

struct InstanceIdentity {
  Version version = Version::v3;
  std::uint8_t vrid = 0;
  std::chrono::milliseconds advert_interval{1000};
  AuthType auth_type = AuthType::none;      // v2
  std::array<std::uint8_t, 8> auth_data{};  // v2 PASS, zero-padded
};

// nullopt: accept. TTL is that of the IP header carrying the advert.
std::optional<Rejection> check_acceptance(const Advert& advert, std::uint8_t ttl, const InstanceIdentity& self);

}  // namespace vipkit::vrrp
