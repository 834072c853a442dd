// The one parser of IPv4 addresses in configs (VIPs, peers, advert lists).
#include <catch2/catch.hpp>

#include "vrrp/core/ipv4.hpp"

using vipkit::vrrp::parse_ipv4_address;

TEST_CASE("IPv4 addresses in configs: dotted quads only, network byte order", "[vrrp][ipv4]") {
  const auto a = parse_ipv4_address("192.0.2.100");
  REQUIRE(a.has_value());
  const auto* bytes = reinterpret_cast<const unsigned char*>(&*a);
  CHECK(bytes[0] == 192);
  CHECK(bytes[1] == 0);
  CHECK(bytes[2] == 2);
  CHECK(bytes[3] == 100);
  CHECK(parse_ipv4_address("198.51.100.7").has_value());
  for (const char* bad : {"", "192.0.2.100/24", "192.0.2", "192.0.2.256", "host-a", "2001:db8::1", " 192.0.2.1",
                          "192.0.2.1 "}) {
    INFO(bad);
    CHECK_FALSE(parse_ipv4_address(bad).has_value());
  }
  // A view into a longer text: only the view is parsed.
  const std::string_view vip_with_prefix = "192.0.2.100/24";
  CHECK(parse_ipv4_address(vip_with_prefix.substr(0, vip_with_prefix.find('/'))) == a);
}
