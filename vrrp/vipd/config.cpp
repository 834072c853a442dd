#include "vrrp/vipd/config.hpp"

#include <fmt/format.h>
#include <net/if.h>

#include <cstring>
#include <optional>

#include "common/cli.hpp"
#include "common/listen_address.hpp"
#include "vrrp/core/advert.hpp"
#include "vrrp/core/ipv4.hpp"

namespace vipkit::vipd {

namespace {

using vrrp::parse_ipv4_address;

// "ADDR/PLEN" or "ADDR" (/32: the VIP adds no route of its own).
std::optional<vrrp::sys::VipAddress> parse_vip(const std::string& text, const std::string& label) {
  vrrp::sys::VipAddress vip;
  vip.label = label;
  const auto slash = text.find('/');
  auto address = parse_ipv4_address(text.substr(0, slash));
  if (!address) return std::nullopt;
  vip.address_be = *address;
  if (slash != std::string::npos) {
    const std::string plen = text.substr(slash + 1);
    if (plen.empty() || plen.size() > 2 || plen.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    vip.prefix_length = std::stoi(plen);
    if (vip.prefix_length < 1 || vip.prefix_length > 32) return std::nullopt;
  }
  return vip;
}

void check_interval(const VipdOptions& o, std::vector<ConfigProblem>& out) {
  const auto version = o.version == 2 ? vrrp::Version::v2 : vrrp::Version::v3;
  if (auto problem = vrrp::interval_problem(version, milliseconds(o.advert_int_ms))) {
    out.push_back({"advert-int-ms", fmt::format("{} ms: {}", o.advert_int_ms, *problem)});
  }
}

}  // namespace

void add_vipd_options(CLI::App& app, VipdOptions& o) {
  common::add_instance_options(app, o.redis, false, 500, /*with_vip=*/false);
  add_sentinel_options(app, o.sentinel);
  auto ms = [](int lo) { return CLI::Range(lo, 3600000); };
  app.add_option("--interface", o.interface, "Interface the VRRP instance runs on (required)");
  app.add_option("--vrid", o.vrid, "Virtual router id, 1..255 (required)");
  app.add_option("--priority", o.priority, "1..254; 255 = the address owner")->capture_default_str();
  app.add_option("--version", o.version, "VRRP version: 2 (RFC 3768) or 3 (RFC 5798)")->capture_default_str();
  app.add_option("--advert-int-ms", o.advert_int_ms, "Advertisement interval (v2: whole seconds)")
      ->capture_default_str();
  app.add_option("--auth-pass", o.auth_pass, "VRRPv2 simple password (PASS), at most 8 characters");
  app.add_option("--vip", o.vips, "Virtual IP as ADDR/PLEN (/32 when omitted); repeatable (required)")
      ->type_size(1)
      ->allow_extra_args(false);
  app.add_option("--vip-label", o.vip_label, "Label on the VIP addresses (e.g. eth0:vip)");
  app.add_option("--unicast-peer", o.unicast_peers, "Advertise to this address instead of multicast; repeatable")
      ->type_size(1)
      ->allow_extra_args(false);
  app.add_flag("--nopreempt", o.nopreempt, "Never take the VIP from a lower-priority master");
  app.add_option("--preempt-delay-ms", o.preempt_delay_ms, "No preemption this soon after start")
      ->capture_default_str()->check(ms(0));
  app.add_option("--check-interval-ms", o.check_interval_ms, "Local Redis health check interval")
      ->capture_default_str()->check(ms(10));
  app.add_option("--rise", o.rise, "Healthy checks in a row before taking part")->capture_default_str()
      ->check(CLI::Range(1, 100));
  app.add_option("--fall", o.fall, "Failed checks in a row before resigning")->capture_default_str()
      ->check(CLI::Range(1, 100));
  app.add_option("--reconcile-ms", o.reconcile_ms, "Re-apply the VRRP state to Redis this often")
      ->capture_default_str()->check(ms(100));
  app.add_option("--control-socket", o.control_socket, "Unix control socket (default /run/vipkit/NAME.sock)");
  app.add_option("--metrics-listen", o.metrics_listen,
                 "Serve Prometheus metrics at http://ADDR:PORT/metrics (IPv4; off when not set)");
  app.add_option("--prefer-weight", o.prefer_weight, "Priority points per step of prefer-file (-1..2)")
      ->capture_default_str()->check(CLI::Range(0, 127));
  app.add_option("--garp-repeat", o.garp_repeat, "Gratuitous ARPs sent on becoming master")
      ->capture_default_str()->check(CLI::Range(1, 100));
  app.add_option("--garp-interval-ms", o.garp_interval_ms, "Delay between them")
      ->capture_default_str()->check(ms(10));
  app.add_option("--garp-refresh-ms", o.garp_refresh_ms, "Repeat gratuitous ARP while master (0 = off)")
      ->capture_default_str()->check(ms(0));
  app.add_flag("--no-syslog", o.no_syslog, "Log to stderr only");
  app.add_flag("-v,--verbose", o.verbose, "Debug logging (rejected packets, routine applies)");
}

std::vector<ConfigProblem> check_values(const VipdOptions& o) {
  std::vector<ConfigProblem> out;
  if (o.interface.empty()) out.push_back({"interface", "required"});
  // With leader = sentinel no VRRP is spoken: no router id to require.
  if (!sentinel_leader(o.sentinel) && (o.vrid < 1 || o.vrid > 255)) out.push_back({"vrid", fmt::format("{}: must be 1..255 (required)", o.vrid)});
  if (o.priority < 1 || o.priority > 255) {
    out.push_back({"priority", fmt::format("{}: must be 1..254, or 255 for the address owner", o.priority)});
  }
  if (o.version != 2 && o.version != 3) out.push_back({"version", fmt::format("{}: must be 2 or 3", o.version)});
  if (o.version == 2 || o.version == 3) check_interval(o, out);
  if (!o.auth_pass.empty() && o.version != 2) {
    out.push_back({"auth-pass", "only VRRPv2 has authentication (RFC 5798 removed it)"});
  }
  if (o.auth_pass.size() > 8) out.push_back({"auth-pass", "at most 8 characters (RFC 3768 section 5.3.10)"});
  if (o.vips.empty()) out.push_back({"vip", "at least one VIP is required"});
  for (const auto& v : o.vips) {
    if (!parse_vip(v, "")) out.push_back({"vip", v + ": expected an IPv4 ADDR or ADDR/PLEN (1..32)"});
  }
  if (o.vips.size() > 255) out.push_back({"vip", "at most 255 addresses in one advert"});
  if (o.vip_label.size() > 15) out.push_back({"vip-label", o.vip_label + ": at most 15 characters"});
  for (const auto& p : o.unicast_peers) {
    if (!parse_ipv4_address(p)) out.push_back({"unicast-peer", p + ": not an IPv4 address"});
  }
  if (!o.metrics_listen.empty() && !common::valid_listen_address(o.metrics_listen)) {
    out.push_back({"metrics-listen", o.metrics_listen + ": expected IPv4-ADDR:PORT, e.g. 127.0.0.1:9477"});
  }
  for (auto& p : check_sentinel_values(o.sentinel)) out.push_back(std::move(p));
  if (sentinel_leader(o.sentinel)) {
    // The fence is renewed once per round: a pause no longer than the
    // interval would lapse between two renewals and let writes in.
    if (o.redis.fence && o.redis.fence_ms <= o.reconcile_ms) {
      out.push_back({"fence-ms", fmt::format("{}: must exceed reconcile-ms ({}) with leader = sentinel (the fence "
                                             "is renewed once per round)",
                                             o.redis.fence_ms, o.reconcile_ms)});
    }
  }
  return out;
}

std::vector<ConfigProblem> check_environment(const VipdOptions& o) {
  std::vector<ConfigProblem> out;
  if (!o.interface.empty() && if_nametoindex(o.interface.c_str()) == 0) {
    out.push_back({"interface", o.interface + ": " + std::strerror(errno)});
  }
  try {
    const auto instance = common::resolve_instance(o.redis, "");
    // Sentinels name the master by the address they reach it at; a Redis
    // known here only as loopback cannot be recognised in their answers.
    if (sentinel_leader(o.sentinel) && !instance.self) {
      out.push_back({"self", "required with leader = sentinel: the HOST:PORT the Sentinels know this Redis by"});
    }
  } catch (const common::ConfigError& e) {
    const std::string what = e.what();
    out.push_back({what.find("password") != std::string::npos ? "password-file" : "instance", what});
  }
  for (auto& p : check_sentinel_environment(o.sentinel)) out.push_back(std::move(p));
  return out;
}

Loaded load_options(CLI::App& app, const VipdOptions& options, const std::vector<std::string>& args) {
  Loaded loaded;
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses a reversed vector
  const CLI::Option* config = app.get_config_ptr();
  auto config_path = [&] { return config != nullptr && config->count() > 0 ? config->as<std::string>() : ""; };
  try {
    app.parse(reversed);
  } catch (const CLI::Success& e) {  // --help, --version
    loaded.exit_code = app.exit(e);
    return loaded;
  } catch (const CLI::ParseError& e) {
    const std::string path = config_path();
    loaded.errors.push_back(
        common::describe_problem(path, common::config_key_lines(path), common::problem_from_cli11(e.what())));
    return loaded;
  }
  const std::string path = config_path();
  const auto lines = common::config_key_lines(path);
  auto problems = check_values(options);
  for (auto& p : check_environment(options)) problems.push_back(std::move(p));
  for (const auto& [key, again] : common::scattered_key_lines(path)) {
    problems.push_back({key, fmt::format("set again on line {}, apart from its first lines: that line would be "
                                         "ignored; keep the lines of a key together",
                                         again.front())});
  }
  for (const auto& p : problems) loaded.errors.push_back(common::describe_problem(path, lines, p));
  return loaded;
}

VipdConfig resolve(const VipdOptions& o) {
  auto problems = check_values(o);
  for (auto& p : check_environment(o)) problems.push_back(std::move(p));
  if (!problems.empty()) throw common::ConfigError(problems.front().key + ": " + problems.front().reason);

  VipdConfig c;
  c.redis = common::resolve_instance(o.redis, "");
  c.interface = o.interface;
  c.identity.version = o.version == 2 ? vrrp::Version::v2 : vrrp::Version::v3;
  c.identity.vrid = static_cast<std::uint8_t>(o.vrid);
  c.identity.advert_interval = milliseconds(o.advert_int_ms);
  if (!o.auth_pass.empty()) {
    c.identity.auth_type = vrrp::AuthType::simple;
    std::memcpy(c.identity.auth_data.data(), o.auth_pass.data(), o.auth_pass.size());
  }
  c.priority = static_cast<std::uint8_t>(o.priority);
  c.preempt = !o.nopreempt;
  c.preempt_delay = milliseconds(o.preempt_delay_ms);
  for (const auto& v : o.vips) c.vips.push_back(*parse_vip(v, o.vip_label));
  for (const auto& p : o.unicast_peers) c.unicast_peers_be.push_back(*parse_ipv4_address(p));
  c.check_interval = milliseconds(o.check_interval_ms);
  c.rise = o.rise;
  c.fall = o.fall;
  c.reconcile = milliseconds(o.reconcile_ms);
  const std::string& name = c.redis.instance;
  c.control_socket = !o.control_socket.empty() ? o.control_socket : "/run/vipkit/" + name + ".sock";
  c.metrics_listen = o.metrics_listen;
  c.prefer_weight = o.prefer_weight;
  c.garp_repeat = o.garp_repeat;
  c.garp_interval = milliseconds(o.garp_interval_ms);
  c.garp_refresh = milliseconds(o.garp_refresh_ms);
  c.sentinel = resolve_sentinel(o.sentinel);
  return c;
}

}  // namespace vipkit::vipd
