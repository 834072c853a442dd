#include "vrrp/core/advert.hpp"

#include <algorithm>
#include <stdexcept>

#include "vrrp/core/checksum.hpp"

namespace vipkit::vrrp {

namespace {

constexpr std::size_t header_size = 8;
constexpr std::size_t v2_auth_size = 8;
constexpr std::uint8_t type_advertisement = 1;

// Addresses are kept in network byte order: copy the 4 wire bytes as they are.
std::uint32_t wire_address(std::span<const std::uint8_t> b, std::size_t at) {
  std::uint32_t value;
  std::copy_n(b.begin() + static_cast<std::ptrdiff_t>(at), 4, reinterpret_cast<std::uint8_t*>(&value));
  return value;
}

std::uint16_t checksum_for(Version version, std::span<const std::uint8_t> message, std::uint32_t src_be,
                           std::uint32_t dst_be) {
  const std::uint32_t initial =
      version == Version::v3 ? pseudo_header_sum(src_be, dst_be, static_cast<std::uint16_t>(message.size())) : 0;
  return internet_checksum(message, initial);
}

std::uint16_t wire_interval(const Advert& a) {
  if (auto problem = interval_problem(a.version, a.max_advert_interval)) throw std::invalid_argument(*problem);
  const auto ms = a.max_advert_interval.count();
  return static_cast<std::uint16_t>(a.version == Version::v2 ? ms / 1000 : ms / 10);
}

}  // namespace

std::optional<std::string> interval_problem(Version version, std::chrono::milliseconds interval) {
  const auto ms = interval.count();
  if (version == Version::v2) {
    // RFC 3768 §5.3.7: Adver Int in whole seconds, 8 bits.
    if (ms % 1000 != 0 || ms < 1000 || ms > 255000) return "VRRPv2 needs whole seconds, 1000..255000";
    return std::nullopt;
  }
  // RFC 5798 §5.2.7: Max Adver Int in centiseconds, 12 bits.
  if (ms % 10 != 0 || ms < 10 || ms > 40950) return "VRRPv3 needs whole centiseconds, 10..40950";
  return std::nullopt;
}

std::string_view to_token(Rejection r) {
  switch (r) {
    case Rejection::too_short: return "too-short";
    case Rejection::bad_version: return "bad-version";
    case Rejection::bad_type: return "bad-type";
    case Rejection::length_mismatch: return "length-mismatch";
    case Rejection::bad_checksum: return "bad-checksum";
    case Rejection::bad_auth_type: return "bad-auth-type";
    case Rejection::bad_interval: return "bad-interval";
    case Rejection::not_ipv4: return "not-ipv4";
    case Rejection::not_vrrp: return "not-vrrp";
    case Rejection::ttl_not_255: return "ttl-not-255";
    case Rejection::version_mismatch: return "version-mismatch";
    case Rejection::vrid_mismatch: return "vrid-mismatch";
    case Rejection::auth_mismatch: return "auth-mismatch";
    case Rejection::interval_mismatch: return "interval-mismatch";
  }
  return "unknown";
}

std::vector<std::uint8_t> encode(const Advert& a, std::uint32_t src_be, std::uint32_t dst_be) {
  if (a.addresses.size() > 255) throw std::invalid_argument("at most 255 addresses per advert");
  const std::uint16_t interval = wire_interval(a);
  std::vector<std::uint8_t> out(header_size + 4 * a.addresses.size() +
                                (a.version == Version::v2 ? v2_auth_size : 0));
  out[0] = static_cast<std::uint8_t>(static_cast<std::uint8_t>(a.version) << 4 | type_advertisement);
  out[1] = a.vrid;
  out[2] = a.priority;
  out[3] = static_cast<std::uint8_t>(a.addresses.size());
  if (a.version == Version::v2) {
    out[4] = static_cast<std::uint8_t>(a.auth_type);
    out[5] = static_cast<std::uint8_t>(interval);
  } else {
    out[4] = static_cast<std::uint8_t>(interval >> 8 & 0x0f);  // 4 reserved bits stay zero
    out[5] = static_cast<std::uint8_t>(interval & 0xff);
  }
  std::size_t at = header_size;
  for (std::uint32_t address : a.addresses) {
    std::copy_n(reinterpret_cast<const std::uint8_t*>(&address), 4, out.begin() + static_cast<std::ptrdiff_t>(at));
    at += 4;
  }
  if (a.version == Version::v2) std::copy(a.auth_data.begin(), a.auth_data.end(), out.begin() + static_cast<std::ptrdiff_t>(at));
  const std::uint16_t sum = checksum_for(a.version, out, src_be, dst_be);
  out[6] = static_cast<std::uint8_t>(sum >> 8);
  out[7] = static_cast<std::uint8_t>(sum & 0xff);
  return out;
}

Decoded decode(std::span<const std::uint8_t> m, std::uint32_t src_be, std::uint32_t dst_be) {
  if (m.size() < header_size) return Rejection::too_short;
  const std::uint8_t version = m[0] >> 4;
  if (version != 2 && version != 3) return Rejection::bad_version;
  if ((m[0] & 0x0f) != type_advertisement) return Rejection::bad_type;
  Advert a;
  a.version = static_cast<Version>(version);
  const std::size_t count = m[3];
  const std::size_t expected = header_size + 4 * count + (a.version == Version::v2 ? v2_auth_size : 0);
  if (m.size() != expected) return Rejection::length_mismatch;
  // A correct message sums (checksum field included) to zero.
  if (checksum_for(a.version, m, src_be, dst_be) != 0) return Rejection::bad_checksum;

  a.vrid = m[1];
  a.priority = m[2];
  if (a.version == Version::v2) {
    if (m[4] > static_cast<std::uint8_t>(AuthType::simple)) return Rejection::bad_auth_type;
    a.auth_type = static_cast<AuthType>(m[4]);
    a.max_advert_interval = std::chrono::seconds(m[5]);
    std::copy_n(m.begin() + static_cast<std::ptrdiff_t>(header_size + 4 * count), v2_auth_size, a.auth_data.begin());
  } else {
    a.max_advert_interval = std::chrono::milliseconds(10 * ((m[4] & 0x0f) << 8 | m[5]));
  }
  if (a.max_advert_interval.count() == 0) return Rejection::bad_interval;
  for (std::size_t i = 0; i < count; ++i) a.addresses.push_back(wire_address(m, header_size + 4 * i));
  return a;
}

}  // namespace vipkit::vrrp
