#pragma once
// Everything needed to handle one vrrp_instance: the Redis pair,
// the policies and where to keep state. Same options on the command line
// (explicit form) and in DIR/NAME.conf (FIFO form); vip-check and vipctl
// read the same file, so one file per instance holds every setting.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/redis_options.hpp"
#include "ha/plan.hpp"

namespace vipkit::common {

using std::chrono::milliseconds;

// The keepalived vrrp_instance this file serves, copied from keepalived.conf:
// what vip-notify needs to send, for a keepalived that died holding the VIP,
// the priority-0 advert keepalived sends when it stops (RFC 3768 §6.4.3):
// the backup then takes over after its skew time (under 1 s at advert_int 1)
// instead of three missed adverts. keepalived drops an advert whose VRID,
// version, interval, password or address list differ from its own, and then
// waits out the master-down timer as before: a wrong copy is slow, not unsafe.
struct SpeakerOptions {
  int vrid = 0;  // 0: not set, no priority-0 advert
  std::string interface;
  int version = 2;       // keepalived's default vrrp_version
  int advert_ms = 1000;  // advert_int
  std::string auth_pass; // authentication { auth_type PASS auth_pass ... } (v2)
  std::vector<std::string> unicast_peers;
  std::vector<std::string> addresses;  // virtual_ipaddress, in order; default: vip
  // keepalived track_file (weight 0) vip-notify sets to 1 while this host
  // holds the VIP for a master that the peer's data is ahead of (Plan::yield_vip),
  // and to 0 otherwise. Empty: none.
  std::string yield_file;
  // vip-notify --fifo, instance MASTER: how often to ask the peer's Redis its
  // role, so that a second master (a healed partition) is acted on at once
  // instead of at the next reconcile pass. 0: never.
  int peer_watch_ms = 250;
  // vip-notify --fifo: how often the replica guard (ha/replica_guard.hpp)
  // looks at the local replica's link, to hold it before it can full-sync
  // from a master that came back without its data. 0: never.
  int hold_watch_ms = 100;
  // vip-notify --fifo's resident health checks (vip-notify/health_watch.hpp):
  // DIR/NAME.alive and DIR/NAME.eligible, keepalived track_files written
  // (0 healthy, 1 not) instead of forking vip-check per vrrp_script check.
  // Empty: off.
  std::string track_dir;
  int track_interval_ms = 1000;
  int track_rise = 2;
  int track_fall = 2;
};

struct InstanceOptions {
  RedisOptions redis;
  SpeakerOptions speaker;
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

struct Speaker {
  std::uint8_t vrid = 0;
  std::string interface;
  int version = 2;
  milliseconds advert_interval{1000};
  std::string auth_pass;
  std::vector<std::uint32_t> unicast_peers_be;  // IPv4, network byte order
  std::vector<std::uint32_t> addresses_be;
};

// The vrrp-* options (SpeakerOptions). add_instance_options registers them
// unless `with_vip` is false (vipd is the speaker: its own options say how it
// advertises); vipctl, which reads either instance file, registers them too.
void add_speaker_options(CLI::App& app, SpeakerOptions& options);

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
  std::optional<Speaker> speaker;  // set when vrrp-vrid is
  std::string yield_file;         // empty: none (SpeakerOptions::yield_file)
  milliseconds peer_watch{250};    // 0: no peer watch
  milliseconds hold_watch{100};    // 0: no replica guard
  struct TrackChecks {
    std::string dir;
    milliseconds interval{1000};
    int rise = 2;
    int fall = 2;
    bool operator==(const TrackChecks&) const = default;
  };
  std::optional<TrackChecks> track;  // SpeakerOptions::track_dir; nullopt: off
};

// Validate; `instance_name` overrides options.instance when non-empty.
// Throws ConfigError.
InstanceConfig resolve_instance(const InstanceOptions& options, const std::string& instance_name);

}  // namespace vipkit::common
