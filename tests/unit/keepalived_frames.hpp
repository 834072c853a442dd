#pragma once
// Frames captured from keepalived 2.2.7 (tests/unit/fixtures/keepalived-2.2.7,
// copied from shared/fixtures), for byte-exact tests of what we send.
#include <catch2/catch.hpp>

#include <arpa/inet.h>

#include <cstdint>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "fixture.hpp"
#include "vrrp/core/ipv4.hpp"

namespace vipkit::test {

using Bytes = std::vector<std::uint8_t>;

// An IPv4 address in network byte order, as the codec takes it.
inline std::uint32_t ip(const char* text) {
  in_addr a{};
  inet_pton(AF_INET, text, &a);
  return a.s_addr;
}

// "KIND HEX" per line, the whole Ethernet frame.
inline Bytes frame(const std::string& file, const std::string& kind) {
  std::istringstream lines(test::fixture("keepalived-2.2.7/" + file));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(kind + " ", 0) != 0) continue;
    const std::string hex = line.substr(line.rfind(' ') + 1);
    Bytes out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
      out.push_back(static_cast<std::uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
    }
    return out;
  }
  throw std::runtime_error("no " + kind + " frame in " + file);
}

// A view into `eth`: keep the frame alive while the packet is used (a
// temporary frame does not compile).
inline vrrp::Ipv4Packet ip_of(Bytes&&) = delete;
inline vrrp::Ipv4Packet ip_of(const Bytes& eth) {
  auto decoded = vrrp::decode_ipv4(std::span(eth).subspan(14));
  REQUIRE(std::holds_alternative<vrrp::Ipv4Packet>(decoded));
  return std::get<vrrp::Ipv4Packet>(decoded);
}

}  // namespace vipkit::test
