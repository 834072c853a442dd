#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <sstream>

#include "common/cli.hpp"
#include "common/config_lines.hpp"
#include "temp_dir.hpp"
#include "vrrp/vipd/config.hpp"

using namespace vipkit;
using Catch::Matchers::Equals;

namespace {

using test::TempDir;

// A valid configuration on the loopback interface (it exists everywhere).
const std::string valid =
    "interface = lo\n"
    "vrid = 52\n"
    "priority = 100\n"
    "version = 3\n"
    "advert-int-ms = 100\n"
    "vip = 192.0.2.100/24\n"
    "vip = 192.0.2.101\n"
    "unicast-peer = 192.0.2.12\n"
    "port = 16465\n"
    "peer = \"192.0.2.12:16465\"\n"
    "check-interval-ms = 100\n";

struct Result {
  vipd::VipdOptions options;
  vipd::Loaded loaded;
};

Result load(const std::vector<std::string>& args) {
  Result r;
  CLI::App app{"test", "vipd"};
  vipd::add_vipd_options(app, r.options);
  common::add_config_option(app);
  r.loaded = vipd::load_options(app, r.options, args);
  return r;
}

Result load_file(const TempDir& dir, const std::string& text, std::string* path_out = nullptr) {
  const std::string path = dir.write("vipd.conf", text);
  if (path_out) *path_out = path;
  return load({"--config", path});
}

}  // namespace

TEST_CASE("vipd config: every option under its long name", "[vipd][config]") {
  TempDir dir;
  auto r = load_file(dir, valid + "auth-pass = \"\"\nnopreempt = true\npreempt-delay-ms = 5000\nrise = 3\nfall = 1\n"
                                  "control-socket = /tmp/x.sock\nprefer-file = /tmp/x.prefer\nprefer-weight = 20\n"
                                  "garp-repeat = 3\ngarp-interval-ms = 200\ngarp-refresh-ms = 60000\n"
                                  "instance = redis_16465\nreconcile-ms = 2000\nvip-label = \"lo:vip\"\n");
  REQUIRE(r.loaded.errors.empty());
  const auto c = vipd::resolve(r.options);
  CHECK(c.interface == "lo");
  CHECK(c.identity.vrid == 52);
  CHECK(c.identity.version == vrrp::Version::v3);
  CHECK(c.identity.advert_interval == std::chrono::milliseconds(100));
  CHECK(c.identity.auth_type == vrrp::AuthType::none);
  CHECK(c.priority == 100);
  CHECK_FALSE(c.preempt);
  CHECK(c.preempt_delay == std::chrono::milliseconds(5000));
  REQUIRE(c.vips.size() == 2);
  CHECK(c.vips[0].prefix_length == 24);
  CHECK(c.vips[1].prefix_length == 32);  // /32 by default
  CHECK(c.vips[1].label == "lo:vip");
  CHECK(c.unicast_peers_be.size() == 1);
  CHECK(c.check_interval == std::chrono::milliseconds(100));
  CHECK(c.rise == 3);
  CHECK(c.fall == 1);
  CHECK(c.reconcile == std::chrono::milliseconds(2000));
  CHECK(c.control_socket == "/tmp/x.sock");
  CHECK(c.redis.prefer_file == "/tmp/x.prefer");
  CHECK(c.prefer_weight == 20);
  CHECK(c.garp_repeat == 3);
  CHECK(c.garp_interval == std::chrono::milliseconds(200));
  CHECK(c.garp_refresh == std::chrono::milliseconds(60000));
  CHECK(c.redis.instance == "redis_16465");
  CHECK(c.redis.connections.peer->endpoint.to_string() == "192.0.2.12:16465");
}

TEST_CASE("vipd config: defaults follow the instance name", "[vipd][config]") {
  TempDir dir;
  auto r = load_file(dir, valid);
  REQUIRE(r.loaded.errors.empty());
  const auto c = vipd::resolve(r.options);
  CHECK(c.redis.instance == "redis-16465");
  CHECK(c.control_socket == "/run/vipkit/redis-16465.sock");
  CHECK(c.redis.prefer_file == "/var/lib/vipkit/redis-16465.prefer");
  CHECK(c.garp_repeat == 5);
  CHECK(c.garp_refresh == std::chrono::milliseconds(0));
  CHECK(c.rise == 2);
  CHECK(c.fall == 2);
}

TEST_CASE("vipd config: v2 with PASS", "[vipd][config]") {
  TempDir dir;
  auto r = load({"--interface", "lo", "--vrid", "7", "--version", "2", "--advert-int-ms", "1000", "--auth-pass",
                 "1111", "--vip", "192.0.2.100/24"});
  REQUIRE(r.loaded.errors.empty());
  const auto c = vipd::resolve(r.options);
  CHECK(c.identity.auth_type == vrrp::AuthType::simple);
  CHECK(c.identity.auth_data == std::array<std::uint8_t, 8>{'1', '1', '1', '1', 0, 0, 0, 0});
}

TEST_CASE("vipd config: each fault is one line, with the file's line number", "[vipd][config]") {
  TempDir dir;
  std::string path;
  auto errors = [&](const std::string& text) { return load_file(dir, text, &path).loaded.errors; };

  SECTION("a CLI11 parse error: unknown key, bad value, out of range") {
    auto e = errors("interface = lo\nvrid = 52\nprot = 1\n");
    REQUIRE(e.size() == 1);
    CHECK_THAT(e[0], Equals(path + ":3: prot: unknown option"));
    e = errors("interface = lo\n\n# a comment\nrise = 0\n");
    REQUIRE(e.size() == 1);
    CHECK_THAT(e[0], Equals(path + ":4: rise: Value 0 not in range 1 to 100"));
    e = errors("nopreempt = maybe\n");
    REQUIRE(e.size() == 1);
    CHECK_THAT(e[0], Equals(path + ":1: nopreempt: Could not convert: --nopreempt = maybe"));
  }
  SECTION("value faults: every one reported, each at its line") {
    auto e = errors(
        "interface = vk-no-such-if0\n"   // 1
        "vrid = 0\n"                      // 2
        "priority = 0\n"                  // 3
        "version = 3\n"                   // 4
        "advert-int-ms = 1005\n"          // 5
        "auth-pass = \"123456789\"\n"     // 6
        "vip = 192.0.2.300/24\n"          // 7
        "unicast-peer = peer-b\n"         // 8
        "vip-label = \"a-very-long-label\"\n");  // 9
    REQUIRE(e.size() == 9);
    CHECK_THAT(e[0], Equals(path + ":2: vrid: 0: must be 1..255 (required)"));
    CHECK_THAT(e[1], Equals(path + ":3: priority: 0: must be 1..254, or 255 for the address owner"));
    CHECK_THAT(e[2], Equals(path + ":5: advert-int-ms: 1005 ms: VRRPv3 needs whole centiseconds, 10..40950"));
    CHECK_THAT(e[3], Equals(path + ":6: auth-pass: only VRRPv2 has authentication (RFC 5798 removed it)"));
    CHECK_THAT(e[4], Equals(path + ":6: auth-pass: at most 8 characters (RFC 3768 section 5.3.10)"));
    CHECK_THAT(e[5], Equals(path + ":7: vip: 192.0.2.300/24: expected an IPv4 ADDR or ADDR/PLEN (1..32)"));
    CHECK_THAT(e[6], Equals(path + ":9: vip-label: a-very-long-label: at most 15 characters"));
    CHECK_THAT(e[7], Equals(path + ":8: unicast-peer: peer-b: not an IPv4 address"));
    CHECK_THAT(e[8], Equals(path + ":1: interface: vk-no-such-if0: No such device"));
  }
  SECTION("missing keys are named without a line") {
    auto e = errors("priority = 100\n");
    REQUIRE(e.size() == 3);
    CHECK_THAT(e[0], Equals("interface: required"));
    CHECK_THAT(e[1], Equals("vrid: 0: must be 1..255 (required)"));
    CHECK_THAT(e[2], Equals("vip: at least one VIP is required"));
  }
  SECTION("v2: whole seconds; v4 does not exist") {
    auto e = errors("interface = lo\nvrid = 1\nvip = 192.0.2.1\nversion = 2\nadvert-int-ms = 100\n");
    REQUIRE(e.size() == 1);
    CHECK_THAT(e[0], Equals(path + ":5: advert-int-ms: 100 ms: VRRPv2 needs whole seconds, 1000..255000"));
    e = errors("interface = lo\nvrid = 1\nvip = 192.0.2.1\nversion = 4\n");
    REQUIRE(e.size() == 1);
    CHECK_THAT(e[0], Equals(path + ":4: version: 4: must be 2 or 3"));
  }
  SECTION("metrics-listen: IPv4 ADDR:PORT or nothing") {
    const std::string base = "interface = lo\nvrid = 1\nvip = 192.0.2.1\n";
    CHECK(errors(base + "metrics-listen = 127.0.0.1:9477\n").empty());
    for (const char* bad : {"9477", "localhost:9477", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
                            "127.0.0.1:94x7", "[::1]:9477", "127.0.0.1:9477s"}) {
      auto e = errors(base + "metrics-listen = \"" + bad + "\"\n");
      REQUIRE(e.size() == 1);
      CHECK_THAT(e[0], Equals(path + ":4: metrics-listen: " + bad + ": expected IPv4-ADDR:PORT, e.g. 127.0.0.1:9477"));
    }
  }
  SECTION("a password file others can read is refused") {
    const std::string secret = dir.write("redis.pass", "s3cret\n");
    ::chmod(secret.c_str(), 0644);
    auto e = errors("interface = lo\nvrid = 1\nvip = 192.0.2.1\npassword-file = " + secret + "\n");
    REQUIRE(e.size() == 1);
    CHECK_THAT(e[0], Catch::StartsWith(path + ":4: password-file: ") && Catch::Contains("0644"));
  }
}

TEST_CASE("vipd config: leader = sentinel", "[vipd][config][sentinel]") {
  TempDir dir;
  std::string path;
  auto errors = [&](const std::string& text) { return load_file(dir, text, &path).loaded.errors; };
  // No vrid: no VRRP is spoken in this mode.
  const std::string sentinel_mode =
      "leader = sentinel\n"                      // 1
      "interface = lo\n"                         // 2
      "vip = 192.0.2.100/24\n"                   // 3
      "port = 16465\n"                           // 4
      "self = \"10.0.0.1:16465\"\n"              // 5
      "master-name = vipkit\n"                   // 6
      "sentinel = 10.0.0.1:26379\n"              // 7
      "sentinel = 10.0.0.2:26379\n"              // 8
      "sentinel = \"[2001:db8::3]:26379\"\n";    // 9

  SECTION("valid, resolved; release is the default") {
    auto r = load_file(dir, sentinel_mode);
    REQUIRE(r.loaded.errors.empty());
    const auto c = vipd::resolve(r.options);
    REQUIRE(c.sentinel.has_value());
    REQUIRE(c.sentinel->sentinels.size() == 3);
    CHECK(c.sentinel->sentinels[2] == redis::Endpoint{"2001:db8::3", 26379, ""});
    CHECK(c.sentinel->master_name == "vipkit");
    CHECK(c.sentinel->on_quorum_loss == ha::OnQuorumLoss::release);
    CHECK_FALSE(c.sentinel->credentials.has_password());
    CHECK(c.redis.self == redis::Endpoint{"10.0.0.1", 16465, ""});
  }
  SECTION("keep, and the Sentinels' own password file") {
    const std::string secret = dir.write("sentinel.pass", "st-secret\n");
    ::chmod(secret.c_str(), 0600);
    auto r = load_file(dir, sentinel_mode + "on-quorum-loss = keep\nsentinel-password-file = " + secret + "\n");
    REQUIRE(r.loaded.errors.empty());
    const auto c = vipd::resolve(r.options);
    CHECK(c.sentinel->on_quorum_loss == ha::OnQuorumLoss::keep);
    CHECK(c.sentinel->credentials.password == "st-secret");
  }
  SECTION("vrrp stays the default: no Sentinel config") {
    auto r = load_file(dir, "interface = lo\nvrid = 1\nvip = 192.0.2.1\n");
    REQUIRE(r.loaded.errors.empty());
    CHECK_FALSE(vipd::resolve(r.options).sentinel.has_value());
  }
  SECTION("bad values, one line each") {
    auto e = errors("interface = lo\nvrid = 1\nvip = 192.0.2.1\nleader = raft\n");
    REQUIRE(e.size() == 1);
    CHECK_THAT(e[0], Equals(path + ":4: leader: raft: must be vrrp or sentinel"));
    e = errors(sentinel_mode + "sentinel = nohost\nsentinel = 10.0.0.2:26379\non-quorum-loss = maybe\n");
    REQUIRE(e.size() == 3);
    CHECK_THAT(e[0], Equals(path + ":12: on-quorum-loss: maybe: must be keep or release"));
    CHECK_THAT(e[1], Equals(path + ":7: sentinel: nohost: expected HOST:PORT"));
    CHECK_THAT(e[2], Equals(path + ":7: sentinel: 10.0.0.2:26379: listed twice (it would count twice toward a majority)"));
  }
  SECTION("a key set again apart from its first lines is refused, not dropped") {
    // CLI11 2.1 would keep the first three Sentinels and drop the fourth.
    auto e = errors(sentinel_mode + "on-quorum-loss = keep\nsentinel = 10.0.0.4:26379\n");
    REQUIRE(e.size() == 1);
    CHECK_THAT(e[0], Equals(path + ":7: sentinel: set again on line 11, apart from its first lines: that line "
                                   "would be ignored; keep the lines of a key together"));
    e = errors("vip = 192.0.2.1\n# comment\n\nvip = 192.0.2.2\ninterface = lo\nvrid = 1\n");
    CHECK(e.empty());
    e = errors("vip = 192.0.2.1\ninterface = lo\nvrid = 1\nvip = 192.0.2.999\n");
    REQUIRE(e.size() == 1);
    CHECK_THAT(e[0], Equals(path + ":1: vip: set again on line 4, apart from its first lines: that line "
                                   "would be ignored; keep the lines of a key together"));
  }
  SECTION("missing keys") {
    auto e = errors("leader = sentinel\ninterface = lo\nvip = 192.0.2.1\nport = 16465\n");
    REQUIRE(e.size() == 3);
    CHECK_THAT(e[0], Equals("sentinel: at least one Sentinel is required with leader = sentinel"));
    CHECK_THAT(e[1], Equals("master-name: required with leader = sentinel"));
    CHECK_THAT(e[2], Equals("self: required with leader = sentinel: the HOST:PORT the Sentinels know this Redis by"));
  }
  SECTION("Sentinel keys with leader = vrrp are refused, not ignored") {
    auto e = errors("interface = lo\nvrid = 1\nvip = 192.0.2.1\nsentinel = 10.0.0.1:26379\nmaster-name = x\n");
    REQUIRE(e.size() == 2);
    CHECK_THAT(e[0], Equals(path + ":4: sentinel: only with leader = sentinel"));
    CHECK_THAT(e[1], Equals(path + ":5: master-name: only with leader = sentinel"));
  }
  SECTION("a Sentinel password file others can read is refused") {
    const std::string secret = dir.write("sentinel.pass", "st-secret\n");
    ::chmod(secret.c_str(), 0644);
    auto e = errors(sentinel_mode + "sentinel-password-file = " + secret + "\n");
    REQUIRE(e.size() == 1);
    CHECK_THAT(e[0], Catch::StartsWith(path + ":10: sentinel-password-file: ") && Catch::Contains("0644"));
  }
}

TEST_CASE("config lines: where each key is set", "[common][config]") {
  std::istringstream in("# comment\n; another\n[section]\n  vrid = 3\nvip=a\nvip = b\n\nflag\n");
  const auto lines = common::config_key_lines(in);
  CHECK(lines.at("vrid") == 4);
  CHECK(lines.at("vip") == 5);  // the first occurrence
  CHECK(lines.at("flag") == 8);
  CHECK(lines.size() == 3);

  CHECK(common::problem_from_cli11("--vrid: Value 300 not in range 1 to 255").key == "vrid");
  CHECK(common::problem_from_cli11("--vrid: Value 300 not in range 1 to 255").reason == "Value 300 not in range 1 to 255");
  CHECK(common::problem_from_cli11("INI was not able to parse prot").key == "prot");
  CHECK(common::problem_from_cli11("something else").key.empty());
  CHECK(common::describe_problem("/f", lines, {"vrid", "bad"}) == "/f:4: vrid: bad");
  CHECK(common::describe_problem("/f", lines, {"port", "bad"}) == "port: bad");
}
