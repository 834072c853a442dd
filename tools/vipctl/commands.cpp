#include "vipctl/commands.hpp"

#include <fmt/format.h>

#include "common/cli.hpp"
#include "common/exit_codes.hpp"
#include "vipctl/status.hpp"
#include "vipctl/status_render.hpp"

namespace vipkit::vipctl {

namespace {

common::InstanceConfig resolve_pair(const Options& o) {
  common::InstanceConfig c = common::resolve_instance(o.instance, "");
  if (!c.connections.peer) throw common::ConfigError("needs --peer HOST:PORT (or peer = in the --config file)");
  return c;
}

// The Redis port clients use on the VIP: the pair's port, the same on both
// nodes in every layout we ship; --vip-port when it is not.
int vip_port_of(const Options& o, const common::InstanceConfig& c) {
  if (o.vip_port != 0) return o.vip_port;
  if (!c.connections.local.endpoint.is_unix()) return c.connections.local.endpoint.port;
  return c.connections.peer->endpoint.port;
}

int run_status(const Options& o) {
  StatusConfig config;
  config.instance = resolve_pair(o);
  config.vip_port = vip_port_of(o, config.instance);
  const PairStatus status = gather_status(config);
  const Health health = assess_health(status);
  if (o.json) {
    fmt::print("{}\n", status_json(status, health).dump(2));
  } else {
    fmt::print("{}", status_table(status, health));
  }
  return health.healthy ? common::exit_ok : common::exit_failed;
}

}  // namespace

void add_options(CLI::App& app, Options& o) {
  app.require_subcommand(1);
  // Connection options may follow the subcommand: `vipctl status --port 6380`.
  app.fallthrough();
  common::add_instance_options(app, o.instance, /*notify_only_hidden=*/true, 1000);
  app.add_option("--vip-port", o.vip_port, "Redis port on the VIP (default: the local Redis port)")
      ->check(CLI::Range(1, 65535));
  o.status = app.add_subcommand("status", "Both nodes, the VIP, the VRRP state; exit 0 only when healthy");
  o.status->add_flag("--json", o.json, "JSON on stdout instead of the table");
}

int run(const Options& o) {
  if (o.status->parsed()) return run_status(o);
  throw common::ConfigError("no subcommand");
}

}  // namespace vipkit::vipctl
