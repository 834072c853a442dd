#include <catch2/catch.hpp>

#include <arpa/inet.h>

#include "fixture.hpp"
#include "vrrp/core/rtnl_address.hpp"

using namespace vipkit::vrrp;
using Bytes = std::vector<std::uint8_t>;
using Kind = AddressEvent::Kind;

namespace {

// Datagrams captured from the kernel (Debian 12, x86-64) by
// tests/unit/fixtures/rtnl/capture.sh: eth0 is ifindex 3 there.
Bytes datagram(const std::string& name) {
  const std::string text = vipkit::test::fixture("rtnl/" + name);
  return Bytes(text.begin(), text.end());
}

std::uint32_t ip(const char* text) {
  in_addr a{};
  inet_pton(AF_INET, text, &a);
  return a.s_addr;
}

AddressBatch decoded(const Bytes& bytes) {
  auto result = decode_address_messages(bytes);
  if (auto* e = std::get_if<RtnlDecodeError>(&result)) FAIL("decode error: " << e->reason);
  return std::get<AddressBatch>(result);
}

std::string error_of(const Bytes& bytes) {
  auto result = decode_address_messages(bytes);
  REQUIRE(std::holds_alternative<RtnlDecodeError>(result));
  return std::get<RtnlDecodeError>(result).reason;
}

}  // namespace

TEST_CASE("rtnl: ip addr add 192.0.2.100/24 label eth0:vip is one RTM_NEWADDR") {
  const auto batch = decoded(datagram("newaddr-vip-24-label.bin"));
  REQUIRE(batch.events.size() == 1);
  CHECK(batch.events[0] == AddressEvent{Kind::added, 3, 24, ip("192.0.2.100"), "eth0:vip"});
  CHECK_FALSE(batch.done);
  CHECK(batch.error == 0);
}

TEST_CASE("rtnl: ip addr del of that VIP is one RTM_DELADDR") {
  const auto batch = decoded(datagram("deladdr-vip-24-label.bin"));
  REQUIRE(batch.events.size() == 1);
  CHECK(batch.events[0] == AddressEvent{Kind::removed, 3, 24, ip("192.0.2.100"), "eth0:vip"});
}

TEST_CASE("rtnl: a /32 without a label carries the interface name as its label") {
  const auto batch = decoded(datagram("newaddr-vip-32.bin"));
  REQUIRE(batch.events.size() == 1);
  CHECK(batch.events[0] == AddressEvent{Kind::added, 3, 32, ip("192.0.2.100"), "eth0"});
}

TEST_CASE("rtnl: an IPv6 address message is skipped, not an error") {
  const auto batch = decoded(datagram("newaddr-ipv6.bin"));
  CHECK(batch.events.empty());
}

TEST_CASE("rtnl: a dump reply lists every IPv4 address and NLMSG_DONE ends it") {
  const auto batch = decoded(datagram("dump-ipv4.bin"));
  REQUIRE(batch.events.size() == 3);
  CHECK(batch.events[0] == AddressEvent{Kind::added, 1, 8, ip("127.0.0.1"), "lo"});
  CHECK(batch.events[1] == AddressEvent{Kind::added, 3, 24, ip("192.0.2.11"), "eth0"});
  CHECK(batch.events[2] == AddressEvent{Kind::added, 3, 32, ip("192.0.2.100"), "eth0"});
  CHECK_FALSE(batch.done);
  const auto done = decoded(datagram("dump-done.bin"));
  CHECK(done.done);
  CHECK(done.events.empty());
}

TEST_CASE("rtnl: messages back to back in one datagram keep their order") {
  Bytes both = datagram("newaddr-vip-32.bin");
  const Bytes del = datagram("deladdr-vip-24-label.bin");
  both.insert(both.end(), del.begin(), del.end());
  const auto batch = decoded(both);
  REQUIRE(batch.events.size() == 2);
  CHECK(batch.events[0].kind == Kind::added);
  CHECK(batch.events[1].kind == Kind::removed);
}

TEST_CASE("rtnl: an NLMSG_ERROR reply gives its errno") {
  // nlmsghdr (len 36, type 2) + nlmsgerr: error -105 (ENOBUFS), then the
  // header of the request it answers.
  Bytes error = {36, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0x97, 0xff, 0xff, 0xff};
  error.resize(36, 0);
  CHECK(decoded(error).error == 105);
}

TEST_CASE("rtnl: malformed datagrams are refused with the reason") {
  const Bytes good = datagram("deladdr-vip-24-label.bin");
  SECTION("shorter than a header") { CHECK(error_of(Bytes(good.begin(), good.begin() + 10)) == "nlmsghdr is 16; only 10 bytes left"); }
  SECTION("nlmsg_len past the end") {
    CHECK(error_of(Bytes(good.begin(), good.end() - 4)) == "nlmsg_len is 84; only 80 bytes left");
  }
  SECTION("nlmsg_len below the header") {
    Bytes bad = good;
    bad[0] = 8;
    CHECK(error_of(bad) == "nlmsg_len is 8; should be at least 16");
  }
  SECTION("no room for ifaddrmsg") {
    Bytes bad(good.begin(), good.begin() + 20);
    bad[0] = 20;
    CHECK(error_of(bad) == "ifaddrmsg is 8; only 4 bytes left");
  }
  SECTION("an attribute longer than the message") {
    Bytes bad = good;
    bad[24] = 200;  // IFA_ADDRESS's rta_len
    CHECK(error_of(bad) == "rtattr length is 200; only 60 bytes left");
  }
  SECTION("an attribute shorter than its own header") {
    Bytes bad = good;
    bad[24] = 2;
    CHECK(error_of(bad) == "rtattr length is 2; should be at least 4");
  }
  SECTION("an IPv4 address of 5 bytes") {
    Bytes bad = good;
    bad[24] = 9;  // IFA_ADDRESS claims 5 payload bytes; the next attribute still starts at 36
    CHECK(error_of(bad) == "IPv4 address attribute is 5 bytes; should be 4");
  }
}

TEST_CASE("vip_changes: the last word on each VIP, on our interface only") {
  const std::uint32_t vips[] = {ip("192.0.2.100"), ip("192.0.2.101")};
  const auto added = [](int ifindex, const char* a) { return AddressEvent{Kind::added, ifindex, 24, ip(a), ""}; };
  const auto removed = [](int ifindex, const char* a) { return AddressEvent{Kind::removed, ifindex, 24, ip(a), ""}; };

  SECTION("a VIP removed by hand") {
    const AddressEvent events[] = {removed(3, "192.0.2.100")};
    CHECK(vip_changes(events, 3, vips) == std::vector{VipChange::removed, VipChange::none});
  }
  SECTION("removed then put back in the same batch: added") {
    const AddressEvent events[] = {removed(3, "192.0.2.101"), added(3, "192.0.2.101")};
    CHECK(vip_changes(events, 3, vips) == std::vector{VipChange::none, VipChange::added});
  }
  SECTION("the same address on another interface is not our VIP") {
    const AddressEvent events[] = {removed(4, "192.0.2.100")};
    CHECK(vip_changes(events, 3, vips) == std::vector{VipChange::none, VipChange::none});
  }
  SECTION("another address on our interface is not a VIP") {
    const AddressEvent events[] = {removed(3, "192.0.2.11")};
    CHECK(vip_changes(events, 3, vips) == std::vector{VipChange::none, VipChange::none});
  }
  SECTION("the prefix length does not matter: the address is the VIP") {
    const AddressEvent events[] = {AddressEvent{Kind::removed, 3, 32, ip("192.0.2.100"), ""}};
    CHECK(vip_changes(events, 3, vips) == std::vector{VipChange::removed, VipChange::none});
  }
  SECTION("from the captured deletion") {
    const auto batch = decoded(datagram("deladdr-vip-24-label.bin"));
    CHECK(vip_changes(batch.events, 3, vips) == std::vector{VipChange::removed, VipChange::none});
  }
}
