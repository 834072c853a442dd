#include <catch2/catch.hpp>

#include <arpa/inet.h>

#include <cstring>
#include <sstream>

#include "keepalived_frames.hpp"
#include "vrrp/core/acceptance.hpp"
#include "vrrp/core/advert.hpp"
#include "vrrp/core/checksum.hpp"
#include "vrrp/core/garp.hpp"
#include "vrrp/core/intake.hpp"
#include "vrrp/core/ipv4.hpp"

using namespace vipkit;
using namespace vipkit::vrrp;
using namespace std::chrono_literals;
using test::Bytes;
using test::frame;
using test::ip;
using test::ip_of;

namespace {

std::array<std::uint8_t, 8> pass(const char* text) {
  std::array<std::uint8_t, 8> data{};
  std::copy_n(text, std::min<std::size_t>(8, std::strlen(text)), data.begin());
  return data;
}

// Recompute a v2 checksum after altering a message in a test.
void reseal_v2(Bytes& m) {
  m[6] = m[7] = 0;
  const std::uint16_t sum = internet_checksum(m);
  m[6] = static_cast<std::uint8_t>(sum >> 8);
  m[7] = static_cast<std::uint8_t>(sum & 0xff);
}

Rejection rejection_of(const Decoded& d) {
  REQUIRE(std::holds_alternative<Rejection>(d));
  return std::get<Rejection>(d);
}

}  // namespace

TEST_CASE("keepalived's VRRPv2 PASS advert decodes and re-encodes byte for byte", "[vrrp][codec]") {
  const Bytes eth = frame("v2.frames", "vrrp2 prio=100");
  const Ipv4Packet packet = ip_of(eth);
  CHECK(packet.ttl == 255);
  CHECK(packet.src_be == ip("192.0.2.1"));
  CHECK(packet.dst_be == ip("224.0.0.18"));

  const Decoded d = decode(packet.payload, packet.src_be, packet.dst_be);
  REQUIRE(std::holds_alternative<Advert>(d));
  const Advert& a = std::get<Advert>(d);
  CHECK(a.version == Version::v2);
  CHECK(a.vrid == 52);
  CHECK(a.priority == 100);
  CHECK(a.max_advert_interval == 1s);
  CHECK(a.auth_type == AuthType::simple);
  CHECK(a.auth_data == pass("1111"));
  CHECK(a.addresses == std::vector<std::uint32_t>{ip("192.0.2.100")});

  const Bytes encoded = encode(a, packet.src_be, packet.dst_be);
  CHECK(encoded == Bytes(packet.payload.begin(), packet.payload.end()));
}

TEST_CASE("keepalived's VRRPv3 advert (pseudo-header checksum) round-trips", "[vrrp][codec]") {
  const Bytes eth = frame("v3.frames", "vrrp3 prio=150");  // the packet views into it
  const Ipv4Packet packet = ip_of(eth);
  const Decoded d = decode(packet.payload, packet.src_be, packet.dst_be);
  REQUIRE(std::holds_alternative<Advert>(d));
  const Advert& a = std::get<Advert>(d);
  CHECK(a.version == Version::v3);
  CHECK(a.vrid == 53);
  CHECK(a.priority == 150);
  CHECK(a.max_advert_interval == 100ms);
  CHECK(a.addresses == std::vector<std::uint32_t>{ip("192.0.2.101"), ip("192.0.2.102")});
  CHECK(encode(a, packet.src_be, packet.dst_be) == Bytes(packet.payload.begin(), packet.payload.end()));

  // The pseudo-header matters: the same bytes from another source fail.
  CHECK(rejection_of(decode(packet.payload, ip("192.0.2.2"), packet.dst_be)) == Rejection::bad_checksum);
}

TEST_CASE("priority-0 adverts sent on shutdown", "[vrrp][codec]") {
  for (auto [file, kind] : {std::pair{"v2.frames", "vrrp2 prio=0"}, std::pair{"v3.frames", "vrrp3 prio=0"}}) {
    const Bytes eth = frame(file, kind);
    const Ipv4Packet packet = ip_of(eth);
    const Decoded d = decode(packet.payload, packet.src_be, packet.dst_be);
    REQUIRE(std::holds_alternative<Advert>(d));
    CHECK(std::get<Advert>(d).priority == 0);
  }
}

TEST_CASE("every malformed message is rejected with its reason", "[vrrp][codec]") {
  const Bytes eth = frame("v2.frames", "vrrp2 prio=100");
  const Ipv4Packet packet = ip_of(eth);
  const Bytes good(packet.payload.begin(), packet.payload.end());
  auto with = [&](std::size_t at, std::uint8_t value) {
    Bytes b = good;
    b[at] = value;
    return decode(b, packet.src_be, packet.dst_be);
  };
  CHECK(rejection_of(decode(std::span(good).first(7), 0, 0)) == Rejection::too_short);
  CHECK(rejection_of(with(0, 0x41)) == Rejection::bad_version);
  CHECK(rejection_of(with(0, 0x22)) == Rejection::bad_type);
  CHECK(rejection_of(with(3, 2)) == Rejection::length_mismatch);
  CHECK(rejection_of(decode(std::span(good).first(good.size() - 1), 0, 0)) == Rejection::length_mismatch);
  CHECK(rejection_of(with(2, 99)) == Rejection::bad_checksum);

  // A field the checksum covers but the rules refuse: alter, then re-seal.
  Bytes ah = good;
  ah[4] = 2;  // IP Authentication Header, removed by RFC 3768
  reseal_v2(ah);
  CHECK(rejection_of(decode(ah, 0, 0)) == Rejection::bad_auth_type);
  Bytes zero_interval = good;
  zero_interval[5] = 0;
  reseal_v2(zero_interval);
  CHECK(rejection_of(decode(zero_interval, 0, 0)) == Rejection::bad_interval);
}

TEST_CASE("encode refuses what the wire cannot carry", "[vrrp][codec]") {
  Advert v2{Version::v2, 1, 100, 1500ms, {ip("192.0.2.100")}, AuthType::none, {}};
  CHECK_THROWS_AS(encode(v2, 0, 0), std::invalid_argument);
  Advert v3{Version::v3, 1, 100, 5ms, {ip("192.0.2.100")}, AuthType::none, {}};
  CHECK_THROWS_AS(encode(v3, 0, 0), std::invalid_argument);
  v3.max_advert_interval = 40950ms;
  CHECK_NOTHROW(encode(v3, 0, 0));
}

TEST_CASE("IPv4 envelope checks", "[vrrp][ipv4]") {
  Bytes eth = frame("v2.frames", "vrrp2 prio=100");
  Bytes ip_packet(eth.begin() + 14, eth.end());
  CHECK(std::get<Rejection>(decode_ipv4(std::span(ip_packet).first(19))) == Rejection::too_short);
  Bytes v6 = ip_packet;
  v6[0] = 0x65;
  CHECK(std::get<Rejection>(decode_ipv4(v6)) == Rejection::not_ipv4);
  Bytes tcp = ip_packet;
  tcp[9] = 6;
  CHECK(std::get<Rejection>(decode_ipv4(tcp)) == Rejection::not_vrrp);
  Bytes truncated(ip_packet.begin(), ip_packet.end() - 4);
  CHECK(std::get<Rejection>(decode_ipv4(truncated)) == Rejection::length_mismatch);
}

TEST_CASE("acceptance: TTL, version, VRID, PASS, v2 interval", "[vrrp][acceptance]") {
  const Bytes eth = frame("v2.frames", "vrrp2 prio=100");
  const Ipv4Packet packet = ip_of(eth);
  const Advert a = std::get<Advert>(decode(packet.payload, packet.src_be, packet.dst_be));
  const InstanceIdentity self{Version::v2, 52, 1s, AuthType::simple, pass("1111")};
  CHECK_FALSE(check_acceptance(a, 255, self).has_value());
  CHECK(check_acceptance(a, 254, self) == Rejection::ttl_not_255);
  auto other = self;
  other.vrid = 53;
  CHECK(check_acceptance(a, 255, other) == Rejection::vrid_mismatch);
  other = self;
  other.auth_data = pass("1112");
  CHECK(check_acceptance(a, 255, other) == Rejection::auth_mismatch);
  other = self;
  other.auth_type = AuthType::none;
  CHECK(check_acceptance(a, 255, other) == Rejection::auth_mismatch);
  other = self;
  other.advert_interval = 2s;
  CHECK(check_acceptance(a, 255, other) == Rejection::interval_mismatch);
  other = self;
  other.version = Version::v3;
  CHECK(check_acceptance(a, 255, other) == Rejection::version_mismatch);
}

TEST_CASE("gratuitous ARP is byte-identical to keepalived's", "[vrrp][garp]") {
  const Mac mac{0xe2, 0x23, 0xbd, 0x39, 0x17, 0x6e};
  const auto built = build_garp(mac, ip("192.0.2.100"));
  CHECK(Bytes(built.begin(), built.end()) == frame("v2.frames", "garp"));
  const auto built3 = build_garp(mac, ip("192.0.2.101"));
  CHECK(Bytes(built3.begin(), built3.end()) == frame("v3.frames", "garp"));
}

TEST_CASE("checksum 0xffff is the same one's-complement zero as 0x0000 (found by the fuzzer)", "[vrrp][codec]") {
  // VRRP part of the fuzzer's input: a v2 advert whose checksum field is
  // ffff where encode() writes 0000. Both sum to zero; both are accepted.
  const Bytes message = {0x21, 0x34, 0x64, 0x01, 0x01, 0x01, 0xff, 0xff, 0x00, 0x00,
                         0x55, 0x02, 0xc0, 0x00, 0x02, 0x64, 0x31, 0x31, 0x31, 0x31};
  const Decoded d = decode(message, 0, 0);
  REQUIRE(std::holds_alternative<Advert>(d));
  Bytes again = encode(std::get<Advert>(d), 0, 0);
  CHECK(again[6] == 0x00);
  CHECK(again[7] == 0x00);
  again[6] = again[7] = 0xff;
  CHECK(again == message);
}

TEST_CASE("intake: a received packet is accepted, our own, or rejected with its reason and sender",
          "[vrrp][intake]") {
  const Bytes eth = frame("v2.frames", "vrrp2 prio=100");
  const auto packet = std::span(eth).subspan(14);
  const InstanceIdentity self{Version::v2, 52, 1s, AuthType::simple, pass("1111")};
  const std::uint32_t sender = ip_of(eth).src_be;

  const Intake accepted = take_in(packet, ip("192.0.2.99"), self);
  REQUIRE(accepted.kind == Intake::Kind::accepted);
  CHECK(accepted.src_be == sender);
  CHECK(accepted.advert.priority == 100);
  CHECK(accepted.advert.vrid == 52);

  CHECK(take_in(packet, sender, self).kind == Intake::Kind::own);  // multicast looped back

  auto other = self;
  other.vrid = 53;
  const Intake wrong_vrid = take_in(packet, ip("192.0.2.99"), other);
  CHECK(wrong_vrid.kind == Intake::Kind::rejected);
  CHECK(wrong_vrid.rejection == Rejection::vrid_mismatch);
  CHECK(wrong_vrid.src_be == sender);

  const Intake short_header = take_in(packet.first(19), ip("192.0.2.99"), self);
  CHECK(short_header.kind == Intake::Kind::rejected);
  CHECK(short_header.rejection == Rejection::too_short);
  CHECK(short_header.src_be == 0);  // the IP header was not readable: no sender
}
