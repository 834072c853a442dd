#pragma once
// Everything needed to handle one vrrp_instance: the Redis pair,
// the policies and where to keep state. Same options on the command line
// (explicit form) and in DIR/NAME.conf (FIFO form); vip-check and vipctl
// read the same file, so one file per instance holds every setting.
#include <chrono>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "common/redis_options.hpp"
#include "ha/plan.hpp"

namespace vipkit::common {

using std::chrono::milliseconds;

struct InstanceOptions {
  RedisOptions redis;
  std::string instance;
  std::string self;  // HOST:PORT the peer uses to reach our Redis
  std::string on_divergence = "snapshot";
  std::string backup_dir = "/var/lib/vipkit/backups";
  std::string state_dir = "/run/vipkit";
  std::string prefer_file;  // empty: /var/lib/vipkit/NAME.prefer
  bool config_rewrite = false;
  bool fence = false;
  int fence_ms = 10000;
  int wait_peer_ms = 10000;
  int lock_wait_ms = 10000;
  int takeover_pause_ms = 2000;
  int sync_wait_ms = 5000;
  int snapshot_timeout_ms = 60000;
};

// `notify_only_hidden`: vip-check reads the same instance file; it accepts
// the handler's keys without listing them in its --help. `with_vip`: vipd
// has its own repeatable `vip ADDR/PLEN` (and knows whether it holds it).
void add_instance_options(CLI::App& app, InstanceOptions& options, bool notify_only_hidden = false,
                          int default_timeout_ms = 1000, bool with_vip = true);

struct InstanceConfig {
  std::string instance;
  Connections connections;
  std::optional<redis::Endpoint> self;
  ha::Policy policy;
  std::string backup_dir;
  std::string state_dir;
  std::string prefer_file;
  bool config_rewrite = false;
  milliseconds fence_duration{10000};
  milliseconds wait_peer{10000};
  milliseconds lock_wait{10000};
  milliseconds takeover_pause{2000};
  milliseconds sync_wait{5000};
  milliseconds snapshot_timeout{60000};
};

// Validate; `instance_name` overrides options.instance when non-empty.
// Throws ConfigError.
InstanceConfig resolve_instance(const InstanceOptions& options, const std::string& instance_name);

}  // namespace vipkit::common
