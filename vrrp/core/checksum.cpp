#include "vrrp/core/checksum.hpp"

#include <arpa/inet.h>

namespace vipkit::vrrp {

namespace {
std::uint32_t add_words(std::span<const std::uint8_t> data, std::uint32_t sum) {
  std::size_t i = 0;
  for (; i + 1 < data.size(); i += 2) sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
  if (i < data.size()) sum += static_cast<std::uint32_t>(data[i] << 8);  // odd length: pad with zero
  return sum;
}
std::uint32_t add_be32(std::uint32_t value_be, std::uint32_t sum) {
  const std::uint32_t v = ntohl(value_be);
  return sum + (v >> 16) + (v & 0xffff);
}
}  // namespace

std::uint16_t internet_checksum(std::span<const std::uint8_t> data, std::uint32_t initial_sum) {
  std::uint32_t sum = add_words(data, initial_sum);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

std::uint32_t pseudo_header_sum(std::uint32_t src_be, std::uint32_t dst_be, std::uint16_t vrrp_length) {
  std::uint32_t sum = add_be32(src_be, 0);
  sum = add_be32(dst_be, sum);
  return sum + ip_protocol_vrrp + vrrp_length;
}

}  // namespace vipkit::vrrp
