#pragma once
// Everything vip-notify needs to handle one vrrp_instance: the Redis pair,
// the policies and where to keep state. Same options on the command line
// (explicit form) and in DIR/NAME.conf (FIFO form).
#include <chrono>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "common/redis_options.hpp"
#include "ha/plan.hpp"

namespace vipkit::notify {

using std::chrono::milliseconds;

struct InstanceOptions {
  common::RedisOptions redis;
  std::string instance;
  std::string self;  // HOST:PORT the peer uses to reach our Redis
  std::string on_divergence = "snapshot";
  std::string backup_dir = "/var/lib/vipkit/backups";
  std::string state_dir = "/run/vipkit";
  bool config_rewrite = false;
  bool fence = false;
  int fence_ms = 10000;
  int wait_peer_ms = 10000;
  int lock_wait_ms = 10000;
  int takeover_pause_ms = 2000;
  int sync_wait_ms = 5000;
  int snapshot_timeout_ms = 60000;
};

void add_instance_options(CLI::App& app, InstanceOptions& options);

struct InstanceConfig {
  std::string instance;
  common::Connections connections;
  std::optional<redis::Endpoint> self;
  ha::Policy policy;
  std::string backup_dir;
  std::string state_dir;
  bool config_rewrite = false;
  milliseconds fence_duration{10000};
  milliseconds wait_peer{10000};
  milliseconds lock_wait{10000};
  milliseconds takeover_pause{2000};
  milliseconds sync_wait{5000};
  milliseconds snapshot_timeout{60000};
};

// Validate; `instance_name` overrides options.instance when non-empty.
// Throws common::ConfigError.
InstanceConfig resolve_instance(const InstanceOptions& options, const std::string& instance_name);

}  // namespace vipkit::notify
