#include "common/instance_config.hpp"

#include <fmt/format.h>

#include "common/cli.hpp"
#include "common/instance_name.hpp"
#include "common/preference.hpp"
#include "vrrp/core/advert.hpp"
#include "vrrp/core/ipv4.hpp"

namespace vipkit::common {

namespace {

std::uint32_t ipv4_be(const std::string& text, const char* option) {
  // keepalived.conf writes a VIP as ADDR/PLEN: the advert carries ADDR.
  auto address = vrrp::parse_ipv4_address(std::string_view(text).substr(0, text.find('/')));
  if (!address) throw ConfigError(fmt::format("--{} {}: not an IPv4 address", option, text));
  return *address;
}

std::optional<Speaker> resolve_speaker(const SpeakerOptions& o, const std::optional<std::string>& vip) {
  if (o.vrid == 0) return std::nullopt;
  if (o.interface.empty()) throw ConfigError("--vrrp-vrid needs --vrrp-interface");
  Speaker s;
  s.vrid = static_cast<std::uint8_t>(o.vrid);
  s.interface = o.interface;
  s.version = o.version;
  s.advert_interval = milliseconds(o.advert_ms);
  if (auto problem = vrrp::interval_problem(o.version == 2 ? vrrp::Version::v2 : vrrp::Version::v3,
                                            s.advert_interval)) {
    throw ConfigError(fmt::format("--vrrp-advert-ms {}: {}", o.advert_ms, *problem));
  }
  if (!o.auth_pass.empty() && o.version != 2) throw ConfigError("--vrrp-auth-pass is VRRPv2 only");
  if (o.auth_pass.size() > 8) throw ConfigError("--vrrp-auth-pass: keepalived uses at most 8 characters");
  s.auth_pass = o.auth_pass;
  for (const std::string& p : o.unicast_peers) s.unicast_peers_be.push_back(ipv4_be(p, "vrrp-unicast-peer"));
  for (const std::string& a : o.addresses) s.addresses_be.push_back(ipv4_be(a, "vrrp-address"));
  if (s.addresses_be.empty()) {
    if (!vip) throw ConfigError("--vrrp-vrid needs --vip or --vrrp-address");
    s.addresses_be.push_back(ipv4_be(*vip, "vip"));
  }
  if (s.addresses_be.size() > 255) throw ConfigError("--vrrp-address: at most 255 addresses in one advert");
  return s;
}

}  // namespace

void add_speaker_options(CLI::App& app, SpeakerOptions& o) {
  const char* group = "keepalived's vrrp_instance (priority-0 advert when keepalived dies)";
  app.add_option("--vrrp-vrid", o.vrid, "virtual_router_id; unset: no priority-0 advert")
      ->check(CLI::Range(1, 255))->group(group);
  app.add_option("--vrrp-interface", o.interface, "interface")->group(group);
  app.add_option("--vrrp-version", o.version, "vrrp_version")->capture_default_str()
      ->check(CLI::IsMember({2, 3}))->group(group);
  app.add_option("--vrrp-advert-ms", o.advert_ms, "advert_int in milliseconds")->capture_default_str()
      ->check(CLI::Range(10, 255000))->group(group);
  app.add_option("--vrrp-auth-pass", o.auth_pass, "auth_pass of auth_type PASS (VRRPv2)")->group(group);
  app.add_option("--vrrp-unicast-peer", o.unicast_peers, "unicast_peer addresses (default: multicast)")
      ->group(group);
  app.add_option("--vrrp-address", o.addresses, "virtual_ipaddress entries, in order (default: vip)")
      ->group(group);
  const char* fifo_group = "keepalived: vip-notify --fifo";
  app.add_option("--yield-file", o.yield_file,
                 "track_file (weight 0) set to 1 while this host holds the VIP for a master the peer is ahead of")
      ->group(fifo_group);
  app.add_option("--peer-watch-ms", o.peer_watch_ms,
                 "MASTER: ask the peer's role this often, to act on a second master at once (0: never)")
      ->capture_default_str()->check(CLI::Range(0, 60000))->group(fifo_group);
  app.add_option("--hold-watch-ms", o.hold_watch_ms,
                 "Look at the local replica's link this often; hold it while its master does not hold its data "
                 "(0: never)")
      ->capture_default_str()->check(CLI::Range(0, 60000))->group(fifo_group);
  app.add_option("--track-dir", o.track_dir,
                 "Resident checks: write DIR/NAME.alive and DIR/NAME.eligible for keepalived track_file")
      ->group(fifo_group);
  app.add_option("--track-interval-ms", o.track_interval_ms, "Resident checks: one check this often")
      ->capture_default_str()->check(CLI::Range(50, 60000))->group(fifo_group);
  app.add_option("--track-rise", o.track_rise, "Resident checks: healthy checks in a row to pass")
      ->capture_default_str()->check(CLI::Range(1, 100))->group(fifo_group);
  app.add_option("--track-fall", o.track_fall, "Resident checks: failed checks in a row to fail")
      ->capture_default_str()->check(CLI::Range(1, 100))->group(fifo_group);
}

void add_instance_options(CLI::App& app, InstanceOptions& o, bool notify_only_hidden,
                          int default_timeout_ms, bool with_vip) {
  add_redis_options(app, o.redis, default_timeout_ms, with_vip);
  const std::size_t first_notify_only = app.get_options().size();
  app.add_option("--instance", o.instance, "Instance name for logs, lock and state (default redis-PORT)");
  app.add_option("--self", o.self,
                 "HOST:PORT at which the peer reaches this Redis (to make the peer follow us)");
  app.add_option("--on-divergence", o.on_divergence,
                 "When re-pointing would drop local writes: snapshot | refuse | force")
      ->capture_default_str()
      ->check(CLI::IsMember({"snapshot", "refuse", "force"}));
  app.add_option("--backup-dir", o.backup_dir, "Where snapshots of diverged data go")->capture_default_str();
  app.add_option("--state-dir", o.state_dir, "Lock and state files (NAME.lock, NAME.json)")
      ->capture_default_str();
  app.add_option("--prefer-file", o.prefer_file,
                 "This node's switchover preference (keepalived track_file; default /var/lib/vipkit/NAME.prefer)");
  app.add_flag("--config-rewrite", o.config_rewrite, "CONFIG REWRITE after a role change");
  app.add_flag("--fence", o.fence, "Pause writes (CLIENT PAUSE WRITE) on a master that lost the VIP");
  auto positive = CLI::Range(1, 3600000);
  app.add_option("--fence-ms", o.fence_ms, "Length of one fence (renewed while it applies)")
      ->capture_default_str()->check(positive);
  app.add_option("--wait-peer-ms", o.wait_peer_ms,
                 "BACKUP: how long to wait for the peer to become a healthy master")
      ->capture_default_str()->check(CLI::Range(0, 3600000));
  app.add_option("--lock-wait-ms", o.lock_wait_ms, "How long to wait for another handler's lock")
      ->capture_default_str()->check(positive);
  app.add_option("--takeover-pause-ms", o.takeover_pause_ms,
                 "Takeover: longest write pause on the old master (bounds the catch-up)")
      ->capture_default_str()->check(CLI::Range(100, 60000));
  app.add_option("--sync-wait-ms", o.sync_wait_ms, "Takeover: wait this long for the replication link")
      ->capture_default_str()->check(positive);
  app.add_option("--snapshot-timeout-ms", o.snapshot_timeout_ms, "Bound on BGSAVE + copy")
      ->capture_default_str()->check(positive);
  // vipd is the speaker itself: its own config says how it advertises.
  if (with_vip) add_speaker_options(app, o.speaker);
  if (notify_only_hidden) {
    auto options = app.get_options();
    for (std::size_t i = first_notify_only; i < options.size(); ++i) options[i]->group("");
  }
}

InstanceConfig resolve_instance(const InstanceOptions& o, const std::string& instance_name) {
  InstanceConfig c;
  c.connections = resolve(o.redis);
  c.instance = !instance_name.empty() ? instance_name
               : !o.instance.empty()  ? o.instance
                                      : fmt::format("redis-{}", o.redis.port);
  if (auto problem = instance_name_problem(c.instance)) throw ConfigError(*problem);
  if (!o.self.empty()) {
    auto self = redis::parse_host_port(o.self);
    if (!self) throw ConfigError(fmt::format("--self {}: expected HOST:PORT", o.self));
    c.self = *self;
  } else if (o.redis.socket.empty() && o.redis.host != "127.0.0.1" && o.redis.host != "localhost" &&
             o.redis.host != "::1") {
    c.self = redis::Endpoint{o.redis.host, o.redis.port, ""};  // the peer can reach what we reach
  }
  c.policy.on_divergence = *ha::parse_divergence_policy(o.on_divergence);
  c.policy.fence = o.fence;
  c.backup_dir = o.backup_dir;
  c.state_dir = o.state_dir;
  c.prefer_file = o.prefer_file.empty() ? default_preference_path(c.instance) : o.prefer_file;
  c.config_rewrite = o.config_rewrite;
  c.fence_duration = milliseconds(o.fence_ms);
  c.wait_peer = milliseconds(o.wait_peer_ms);
  c.lock_wait = milliseconds(o.lock_wait_ms);
  c.takeover_pause = milliseconds(o.takeover_pause_ms);
  c.sync_wait = milliseconds(o.sync_wait_ms);
  c.snapshot_timeout = milliseconds(o.snapshot_timeout_ms);
  c.speaker = resolve_speaker(o.speaker, c.connections.vip);
  c.yield_file = o.speaker.yield_file;
  c.peer_watch = milliseconds(o.speaker.peer_watch_ms);
  c.hold_watch = milliseconds(o.speaker.hold_watch_ms);
  if (!o.speaker.track_dir.empty()) {
    c.track = InstanceConfig::TrackChecks{o.speaker.track_dir, milliseconds(o.speaker.track_interval_ms),
                                          o.speaker.track_rise, o.speaker.track_fall};
  }
  return c;
}

}  // namespace vipkit::common
