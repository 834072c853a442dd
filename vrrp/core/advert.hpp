#pragma once
// VRRP advertisement codec, byte-wise from a span (never a packed struct cast
// onto a buffer). Version 2: RFC 3768 §5; version 3 (IPv4): RFC 5798 §5.
//
//  v2:  | ver=2 type=1 | VRID | Priority | Count IP | Auth Type | Adver Int (s) | Checksum |
//       | IPv4 address ... | Authentication Data (8 bytes) |
//  v3:  | ver=3 type=1 | VRID | Priority | Count IP | rsvd(4) Max Adver Int (12 bits, cs) | Checksum |
//       | IPv4 address ... |
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace vipkit::vrrp {

enum class Version : std::uint8_t { v2 = 2, v3 = 3 };

// RFC 3768 §5.3.6: 0 no authentication, 1 simple text password. (2, IP AH,
// was removed by RFC 3768 and is refused.)
enum class AuthType : std::uint8_t { none = 0, simple = 1 };

struct Advert {
  Version version = Version::v3;
  std::uint8_t vrid = 0;
  std::uint8_t priority = 100;
  std::chrono::milliseconds max_advert_interval{1000};  // v2: whole seconds; v3: centiseconds
  std::vector<std::uint32_t> addresses;                 // IPv4, network byte order
  AuthType auth_type = AuthType::none;                  // v2 only
  std::array<std::uint8_t, 8> auth_data{};              // v2 only, sent as is

  bool operator==(const Advert&) const = default;
};

// Why a packet was not accepted; each has a stable token for counters/logs.
enum class Rejection {
  too_short,          // shorter than the fixed header
  bad_version,        // version not 2 or 3
  bad_type,           // type not 1 (ADVERTISEMENT)
  length_mismatch,    // size disagrees with Count IP Addrs (and auth data for v2)
  bad_checksum,
  bad_auth_type,      // v2 auth type not 0/1
  bad_interval,       // advert interval 0
  not_ipv4,           // IP header version not 4 / header length invalid
  not_vrrp,           // IP protocol not 112
  ttl_not_255,        // RFC 3768 §7.1 / RFC 5798 §7.1: sent by a router beyond the link
  version_mismatch,   // not the version this instance speaks
  vrid_mismatch,      // another virtual router: not for us
  auth_mismatch,      // v2: auth type or password differs
  interval_mismatch,  // v2: Adver Int differs from ours (RFC 3768 §7.1)
};
std::string_view to_token(Rejection rejection);

using Decoded = std::variant<Advert, Rejection>;

// Why `interval` does not fit `version`'s interval field (v2: whole seconds
// in 8 bits; v3: centiseconds in 12 bits), nullopt when it does. One rule
// for encode and for every configuration that names an interval (vipd's
// advert-int-ms, vip-notify's vrrp-advert-ms).
std::optional<std::string> interval_problem(Version version, std::chrono::milliseconds interval);

// Encode the VRRP message (no IP header). src/dst feed the v3 pseudo-header
// checksum and are ignored for v2. Throws std::invalid_argument when the
// advert cannot be represented (interval out of range or not a whole unit,
// more than 255 addresses): a configuration fault caught at start-up.
std::vector<std::uint8_t> encode(const Advert& advert, std::uint32_t src_be, std::uint32_t dst_be);

// Decode a VRRP message (the IP payload). src/dst are needed for the v3
// checksum.
Decoded decode(std::span<const std::uint8_t> message, std::uint32_t src_be, std::uint32_t dst_be);

}  // namespace vipkit::vrrp
