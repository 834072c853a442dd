#pragma once
// vipd's options: every one a long flag that can also be set under its name
// in the --config file (CLI11 config format). Registered apart from main so
// vipctl can read a vipd config file too.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/config_lines.hpp"
#include "common/instance_config.hpp"
#include "vrrp/core/acceptance.hpp"
#include "vrrp/sys/vip_address.hpp"
#include "vrrp/vipd/sentinel_config.hpp"

namespace vipkit::vipd {

using std::chrono::milliseconds;

struct VipdOptions {
  common::InstanceOptions redis;  // the Redis pair, the policy and prefer-file, as vip-notify (no --vip)
  SentinelOptions sentinel;       // leader = sentinel: no VRRP, the VIP follows Sentinel
  std::string interface;
  int vrid = 0;
  int priority = 100;
  int version = 3;
  int advert_int_ms = 1000;
  std::string auth_pass;                   // v2 PASS, at most 8 characters
  std::vector<std::string> vips;           // ADDR[/PLEN], /32 when omitted
  std::string vip_label;                   // optional address label, e.g. eth0:vip
  std::vector<std::string> unicast_peers;  // empty: multicast 224.0.0.18
  bool nopreempt = false;
  int preempt_delay_ms = 0;
  int check_interval_ms = 1000;
  int rise = 2;
  int fall = 2;
  int reconcile_ms = 3000;
  std::string control_socket;  // default /run/vipkit/NAME.sock
  std::string metrics_listen;  // ADDR:PORT for Prometheus; empty: off
  int prefer_weight = 15;
  int garp_repeat = 5;         // keepalived's garp_master_repeat
  int garp_interval_ms = 1000; // keepalived's garp_master_delay
  int garp_refresh_ms = 0;     // keepalived's garp_master_refresh: off
  bool no_syslog = false;
  bool verbose = false;
};

void add_vipd_options(CLI::App& app, VipdOptions& options);

using common::ConfigProblem;

// What can be checked from the values alone (pure).
std::vector<ConfigProblem> check_values(const VipdOptions& options);
// What needs the machine: the interface exists, the password file is
// private, the instance name is usable.
std::vector<ConfigProblem> check_environment(const VipdOptions& options);

// Parse the arguments (program name excluded; --config FILE among them),
// then check the values and the environment. `errors`: one line per fault,
// "FILE:LINE: KEY: REASON" when the key is set in the config file.
// `exit_code`: --help or --version was answered.
struct Loaded {
  std::optional<int> exit_code;
  std::vector<std::string> errors;
};
// `options` is what add_vipd_options(app, …) bound.
Loaded load_options(CLI::App& app, const VipdOptions& options, const std::vector<std::string>& args);

struct VipdConfig {
  common::InstanceConfig redis;
  std::string interface;
  vrrp::InstanceIdentity identity;  // version, vrid, interval, v2 auth
  std::uint8_t priority = 100;
  bool preempt = true;
  milliseconds preempt_delay{0};
  std::vector<vrrp::sys::VipAddress> vips;
  std::vector<std::uint32_t> unicast_peers_be;
  milliseconds check_interval{1000};
  int rise = 2;
  int fall = 2;
  milliseconds reconcile{3000};
  std::string control_socket;
  std::string metrics_listen;  // "" when off
  int prefer_weight = 15;
  int garp_repeat = 5;
  milliseconds garp_interval{1000};
  milliseconds garp_refresh{0};
  std::optional<SentinelConfig> sentinel;  // set with leader = sentinel
};

// Options that passed both checks, resolved. Throws common::ConfigError.
VipdConfig resolve(const VipdOptions& options);

}  // namespace vipkit::vipd
