#include <catch.hpp>

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
}

TEST_CASE("loopback local host and no --self: no address to hand the peer", "[notify][config]") {
  common::InstanceOptions options;
  options.redis.peer = "192.0.2.12:6379";
  const auto c = common::resolve_instance(options, "");
  CHECK(c.instance == "redis-6379");
  CHECK_FALSE(c.self);
}
