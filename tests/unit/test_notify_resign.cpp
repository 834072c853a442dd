#include <catch2/catch.hpp>

#include "keepalived_frames.hpp"
#include "vip-notify/resign.hpp"
#include "vrrp/core/advert.hpp"

using namespace vipkit;
using test::Bytes;
using test::frame;
using test::ip;
using test::ip_of;

namespace {

common::Speaker speaker(int version, std::uint8_t vrid, int advert_ms, std::string pass,
                        std::vector<std::uint32_t> addresses) {
  common::Speaker s;
  s.vrid = vrid;
  s.interface = "eth0";
  s.version = version;
  s.advert_interval = std::chrono::milliseconds(advert_ms);
  s.auth_pass = std::move(pass);
  s.addresses_be = std::move(addresses);
  return s;
}

// Ours equals what keepalived itself sent on SIGTERM (the VRRP message).
void same_as_keepalived(const char* file, const char* kind, const common::Speaker& s) {
  const Bytes eth = frame(file, kind);
  const auto packet = ip_of(eth);
  const Bytes ours = vrrp::encode(notify::resign_advert(s), packet.src_be, packet.dst_be);
  CHECK(ours == Bytes(packet.payload.begin(), packet.payload.end()));
}

}  // namespace

// The fixtures' configs (shared/fixtures/keepalived-2.2.7/v2.conf, v3.conf),
// written as the vrrp-* keys of an instance file.
TEST_CASE("the priority-0 advert is byte for byte keepalived's own (VRRPv2, PASS)", "[notify][resign]") {
  same_as_keepalived("v2.frames", "vrrp2 prio=0", speaker(2, 52, 1000, "1111", {ip("192.0.2.100")}));
}

TEST_CASE("the priority-0 advert is byte for byte keepalived's own (VRRPv3, two VIPs)", "[notify][resign]") {
  same_as_keepalived("v3.frames", "vrrp3 prio=0", speaker(3, 53, 100, "", {ip("192.0.2.101"), ip("192.0.2.102")}));
}

TEST_CASE("a different password or address list is not keepalived's advert", "[notify][resign]") {
  common::Speaker s = speaker(2, 52, 1000, "2222", {ip("192.0.2.100")});
  const Bytes eth = frame("v2.frames", "vrrp2 prio=0");
  const auto packet = ip_of(eth);
  const Bytes theirs(packet.payload.begin(), packet.payload.end());
  CHECK(vrrp::encode(notify::resign_advert(s), packet.src_be, packet.dst_be) != theirs);
  s.auth_pass = "1111";
  s.addresses_be.push_back(ip("192.0.2.101"));
  CHECK(vrrp::encode(notify::resign_advert(s), packet.src_be, packet.dst_be) != theirs);
}
