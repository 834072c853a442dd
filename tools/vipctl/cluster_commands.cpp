#include "vipctl/cluster_commands.hpp"

#include <fmt/format.h>

#include "common/cli.hpp"
#include "common/exit_codes.hpp"
#include "common/json_fields.hpp"
#include "common/redis_options.hpp"
#include "vipctl/cluster_gather.hpp"
#include "vipctl/cluster_render.hpp"
#include "vipctl/commands.hpp"

namespace vipkit::vipctl {

namespace {

int run_status(const Options& o) {
  const auto seed = redis::parse_host_port(o.cluster.node);
  if (!seed) throw common::ConfigError(fmt::format("--node {}: expected HOST:PORT", o.cluster.node));
  // --user, --password-file (else REDISCLI_AUTH) and --timeout, read as for
  // every other command.
  const common::Connections connections = common::resolve(o.vipd.redis.redis);
  const ClusterStatus status = gather_cluster({*seed, connections.local.credentials, connections.timeout});
  const ClusterHealth health = assess_cluster(status);
  if (o.json) {
    fmt::print("{}\n", common::json_text(cluster_json(status, health), 2));
  } else {
    fmt::print("{}", cluster_table(status, health));
  }
  return health.healthy ? common::exit_ok : common::exit_failed;
}

}  // namespace

void add_cluster_options(CLI::App& app, Options& o) {
  ClusterOptions& c = o.cluster;
  c.command = app.add_subcommand("cluster", "A Redis Cluster: status (failover and upgrade steps: not yet)");
  c.command->require_subcommand(1);
  c.command->fallthrough();
  c.status = c.command->add_subcommand(
      "status", "Every node of the cluster and the verdict; exit 0 only when healthy, 1 with one line per finding");
  c.status->add_option("--node", c.node, "Any node of the cluster, HOST:PORT: the others are found from it")
      ->required();
  c.status->add_flag("--json", o.json, "JSON on stdout instead of the table (nodes, findings, healthy)");
}

int run_cluster(const Options& o) {
  if (o.cluster.status->parsed()) return run_status(o);
  throw common::ConfigError("cluster: no subcommand");
}

}  // namespace vipkit::vipctl
