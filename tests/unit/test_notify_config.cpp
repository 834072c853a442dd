#include <catch2/catch.hpp>

#include <arpa/inet.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/cli.hpp"
#include "common/instance_config.hpp"
#include "temp_dir.hpp"

using namespace vipkit;

namespace {

common::InstanceConfig load(const std::string& text) {
  test::TempDir dir;
  const std::string file = dir.write("redis_16465.conf", text);
  common::InstanceOptions options;
  CLI::App app{"test", "vip-notify"};
  common::add_instance_options(app, options);
  common::add_config_option(app);
  common::parse_config_file(app, file);
  return common::resolve_instance(options, "redis_16465");
}

}  // namespace

TEST_CASE("instance config file sets every option under its long name", "[notify][config]") {
  const auto c = load(
      "host = \"192.0.2.11\"\nport = 16465\npeer = \"192.0.2.12:16465\"\nvip = \"192.0.2.100\"\n"
      "on-divergence = \"refuse\"\nbackup-dir = \"/tmp/b\"\nstate-dir = \"/tmp/s\"\n"
      "config-rewrite = true\nfence = true\nwait-peer-ms = 1500\ntimeout = 700\n");
  CHECK(c.instance == "redis_16465");
  CHECK(c.connections.local.endpoint.host == "192.0.2.11");
  CHECK(c.connections.local.endpoint.port == 16465);
  REQUIRE(c.connections.peer);
  CHECK(c.connections.peer->endpoint.to_string() == "192.0.2.12:16465");
  CHECK(c.connections.vip == "192.0.2.100");
  CHECK(c.policy.on_divergence == ha::DivergencePolicy::refuse);
  CHECK(c.policy.fence);
  CHECK(c.config_rewrite);
  CHECK(c.wait_peer == std::chrono::milliseconds(1500));
  CHECK(c.connections.timeout == std::chrono::milliseconds(700));
  // No --self: a non-loopback host is what the peer can reach too.
  REQUIRE(c.self);
  CHECK(c.self->to_string() == "192.0.2.11:16465");
}

TEST_CASE("config errors name the problem", "[notify][config]") {
  CHECK_THROWS_WITH(load("prot = 1\n"), Catch::Contains("prot"));
  CHECK_THROWS_WITH(load("port = seventy\n"), Catch::Contains("port"));
  CHECK_THROWS_WITH(load("on-divergence = \"yolo\"\n"), Catch::Contains("yolo"));
  CHECK_THROWS_WITH(load("peer = \"192.0.2.12\"\n"), Catch::Contains("expected HOST:PORT"));
  CHECK_THROWS_WITH(load("vip = \"192.0.2.100/32\"\n"), Catch::Contains("not an IP address"));
  CHECK_THROWS_WITH(load("self = \"x:0\"\n"), Catch::Contains("expected HOST:PORT"));
}

TEST_CASE("missing config file", "[notify][config]") {
  common::InstanceOptions options;
  CLI::App app{"test", "vip-notify"};
  common::add_instance_options(app, options);
  common::add_config_option(app);
  CHECK_THROWS_WITH(common::parse_config_file(app, "/nonexistent/x.conf"), Catch::Contains("not found"));
  // An instance name from the FIFO too long for a file name: a ConfigError
  // (which load_instance reports), never std::filesystem_error.
  // The path quoted back is cut, its length said (common/outside_text.hpp).
  CHECK_THROWS_MATCHES(common::parse_config_file(app, "/tmp/" + std::string(300, 'r') + ".conf"),
                       common::ConfigError, Catch::Message("config file /tmp/" + std::string(195, 'r') +
                                                           "...(310 bytes): File name too long"));
}

TEST_CASE("loopback local host and no --self: no address to hand the peer", "[notify][config]") {
  common::InstanceOptions options;
  options.redis.peer = "192.0.2.12:6379";
  const auto c = common::resolve_instance(options, "");
  CHECK(c.instance == "redis-6379");
  CHECK_FALSE(c.self);
}

TEST_CASE("vrrp-* keys copy keepalived's vrrp_instance for the priority-0 advert", "[notify][config]") {
  const auto plain = load("vip = \"192.0.2.100\"\n");
  CHECK_FALSE(plain.speaker);  // no vrrp-vrid: no advert on keepalived's behalf

  const auto c = load(
      "vip = \"192.0.2.100\"\nvrrp-vrid = 52\nvrrp-interface = \"eth0\"\nvrrp-auth-pass = \"1111\"\n"
      "vrrp-unicast-peer = \"192.0.2.12\"\n");
  REQUIRE(c.speaker);
  CHECK(c.speaker->vrid == 52);
  CHECK(c.speaker->interface == "eth0");
  CHECK(c.speaker->version == 2);
  CHECK(c.speaker->advert_interval == std::chrono::milliseconds(1000));
  CHECK(c.speaker->auth_pass == "1111");
  CHECK(c.speaker->unicast_peers_be.size() == 1);
  REQUIRE(c.speaker->addresses_be.size() == 1);  // the vip by default
  CHECK(c.speaker->addresses_be[0] == htonl(0xc0000264));

  // keepalived.conf's own spelling of the addresses (ADDR/PLEN), several.
  const auto v3 = load(
      "vrrp-vrid = 53\nvrrp-interface = \"eth0\"\nvrrp-version = 3\nvrrp-advert-ms = 100\n"
      "vrrp-address = [\"192.0.2.101/24\", \"192.0.2.102\"]\n");
  REQUIRE(v3.speaker);
  CHECK(v3.speaker->addresses_be.size() == 2);
  CHECK(v3.speaker->advert_interval == std::chrono::milliseconds(100));
}

TEST_CASE("vrrp-* keys that keepalived would not accept are refused", "[notify][config]") {
  const std::string base = "vip = \"192.0.2.100\"\nvrrp-vrid = 52\n";
  CHECK_THROWS_WITH(load(base), Catch::Contains("--vrrp-interface"));
  const std::string with_if = base + "vrrp-interface = \"eth0\"\n";
  CHECK_THROWS_WITH(load(with_if + "vrrp-advert-ms = 1500\n"), Catch::Contains("VRRPv2 needs whole seconds"));
  CHECK_THROWS_WITH(load(with_if + "vrrp-version = 3\nvrrp-advert-ms = 105\n"), Catch::Contains("VRRPv3 needs whole centiseconds"));
  CHECK_THROWS_WITH(load(with_if + "vrrp-version = 3\nvrrp-auth-pass = \"x\"\n"), Catch::Contains("VRRPv2 only"));
  CHECK_THROWS_WITH(load(with_if + "vrrp-auth-pass = \"123456789\"\n"), Catch::Contains("8 characters"));
  CHECK_THROWS_WITH(load(with_if + "vrrp-unicast-peer = \"peer-b\"\n"), Catch::Contains("not an IPv4"));
  CHECK_THROWS_WITH(load(with_if + "vrrp-version = 4\n"), Catch::Contains("vrrp-version"));
  CHECK_THROWS_WITH(load("vrrp-vrid = 52\nvrrp-interface = \"eth0\"\n"), Catch::Contains("--vip or --vrrp-address"));
  CHECK_THROWS_WITH(load("vip = \"192.0.2.100\"\nvrrp-vrid = 256\nvrrp-interface = \"eth0\"\n"),
                    Catch::Contains("vrrp-vrid"));
}
