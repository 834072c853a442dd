#include "vipctl/cluster_commands.hpp"

#include <fmt/format.h>

#include "common/cli.hpp"
#include "common/exit_codes.hpp"
#include "common/json_fields.hpp"
#include "common/log.hpp"
#include "common/redis_options.hpp"
#include "vipctl/cluster_failover_render.hpp"
#include "vipctl/cluster_gather.hpp"
#include "vipctl/cluster_render.hpp"
#include "vipctl/cluster_upgrade_render.hpp"
#include "vipctl/cluster_upgrade_run.hpp"
#include "vipctl/restart_command.hpp"
#include "vipctl/upgrade_render.hpp"
#include "vipctl/upgrade_state.hpp"
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

redis::Endpoint endpoint_of(const std::string& option, const std::string& text) {
  const auto e = redis::parse_host_port(text);
  if (!e) throw common::ConfigError(fmt::format("{} {}: expected HOST:PORT", option, text));
  return *e;
}

int run_failover(const Options& o) {
  const ClusterOptions& co = o.cluster;
  ClusterFailoverConfig config;
  config.replica = endpoint_of("--replica", co.replica);
  const common::Connections connections = common::resolve(o.vipd.redis.redis);
  config.credentials = connections.local.credentials;
  config.exchange_timeout = connections.timeout;
  config.timeout = milliseconds(co.failover_timeout_ms);
  config.max_lag = co.max_lag;
  config.dry_run = co.dry_run;
  config.mode = co.takeover ? FailoverMode::takeover : co.force ? FailoverMode::force : FailoverMode::coordinated;

  const auto log = common::make_logger({"vipctl", /*syslog=*/false, o.vipd.verbose});
  if (!risk_of(config.mode).empty()) {
    log->warn("risk mode={} detail={}", to_token(config.mode), common::kv_value(std::string(risk_of(config.mode))));
  }
  const ClusterFailoverReport report = run_cluster_failover(config, [&](const ha::Step& s) {
    log->info("step op=cluster-failover name={} ok={} ms={} detail={}", s.name, s.ok ? "yes" : "no",
              s.duration.count(), common::kv_value(s.detail));
  });
  for (const auto& c : report.preflight.checks) {
    log->debug("check op=cluster-failover name={} status={} detail={}", c.name, to_token(c.status),
               common::kv_value(c.detail));
  }
  const int code = exit_code(report);
  log->log(code == common::exit_ok ? spdlog::level::info : spdlog::level::err,
           "cluster-failover result={} reason={} replica={} mode={} total_ms={}", to_token(report.result),
           report.reason.empty() ? "-" : report.reason, report.replica, to_token(report.mode), report.total.count());
  if (o.json) {
    fmt::print("{}\n", common::json_text(cluster_failover_json(report), 2));
  } else {
    fmt::print("{}", cluster_failover_text(report));
  }
  return code;
}

// --expect-version: "7.4.2" (digits and dots, as INFO server's redis_version).
redis::Version expect_version_of(const std::string& text) {
  const bool plain = !text.empty() && text.find_first_not_of("0123456789.") == std::string::npos &&
                     text.front() != '.' && text.back() != '.' && text.find("..") == std::string::npos;
  if (plain) {
    if (auto v = redis::parse_version("redis_version:" + text)) return v.value();
  }
  throw common::ConfigError(fmt::format("--expect-version {}: expected a Redis version such as 7.4.2", text));
}

int run_upgrade(const Options& o) {
  const ClusterOptions& co = o.cluster;
  ClusterUpgradeConfig config;
  config.seed = endpoint_of("--node", co.node);
  const auto restart = parse_restart_command(co.restart_cmd);
  if (!restart) throw common::ConfigError("--restart-cmd: " + restart.error().message);
  config.restart = restart.value();
  if (!co.expect_version.empty()) config.expect_version = expect_version_of(co.expect_version);
  const common::Connections connections = common::resolve(o.vipd.redis.redis);
  config.credentials = connections.local.credentials;
  config.exchange_timeout = connections.timeout;
  config.step_timeout = milliseconds(co.upgrade_timeout_ms);
  config.backup_dir = co.upgrade_backup_dir;
  config.state_file = upgrade_state_path(co.state_file, co.upgrade_backup_dir);
  config.swap_back = co.swap_back;
  config.dry_run = co.dry_run;
  config.max_lag = co.max_lag;

  const auto log = common::make_logger({"vipctl", /*syslog=*/false, o.vipd.verbose});
  const ClusterUpgradeReport report = run_cluster_upgrade(config, [&](const ha::Step& s) {
    log->info("step op=cluster-upgrade name={} ok={} ms={} detail={}", s.name, s.ok ? "yes" : "no",
              s.duration.count(), common::kv_value(s.detail));
  });
  const int code = exit_code(report);
  log->log(code == common::exit_ok ? spdlog::level::info : spdlog::level::err,
           "cluster-upgrade result={} reason={} steps={}/{} total_ms={}", to_token(report.result),
           report.reason.empty() ? "-" : report.reason, report.steps.size(), report.plan.steps.size(),
           report.total.count());
  if (o.json) {
    fmt::print("{}\n", common::json_text(cluster_upgrade_json(report), 2));
  } else {
    fmt::print("{}", cluster_upgrade_text(report));
  }
  return code;
}

}  // namespace

void add_cluster_options(CLI::App& app, Options& o) {
  ClusterOptions& c = o.cluster;
  c.command = app.add_subcommand("cluster", "A Redis Cluster: status, failover, upgrade");
  c.command->require_subcommand(1);
  c.command->fallthrough();
  c.status = c.command->add_subcommand(
      "status", "Every node of the cluster and the verdict; exit 0 only when healthy, 1 with one line per finding");
  c.status->add_option("--node", c.node, "Any node of the cluster, HOST:PORT: the others are found from it")
      ->required();
  c.status->add_flag("--json", o.json, "JSON on stdout instead of the table (nodes, findings, healthy)");

  c.failover = c.command->add_subcommand(
      "failover",
      "Hand a master's slots to its replica by CLUSTER FAILOVER (coordinated: no acknowledged write lost) and wait "
      "until every node agrees; exit 0 done, 1 refused or failed (one line per finding)");
  c.failover->add_option("--replica", c.replica, "The replica to promote, HOST:PORT")->required();
  c.failover->add_option("--timeout", c.failover_timeout_ms,
                         "Bound of the wait, from CLUSTER FAILOVER until every node agrees and the old master is a "
                         "linked replica, ms")
      ->capture_default_str()
      ->check(CLI::Range(100, 600000));
  c.failover->add_option("--max-lag", c.max_lag, "Refuse when the replica is more than this many bytes behind")
      ->capture_default_str()
      ->check(CLI::Range(0LL, 1LL << 40));
  c.failover->add_flag("--dry-run", c.dry_run, "Print the plan and the preflight checks, change nothing");
  auto* force = c.failover->add_flag(
      "--force", c.force, "CLUSTER FAILOVER FORCE: no handshake with the master; writes not yet replicated can be lost");
  c.failover
      ->add_flag("--takeover", c.takeover,
                 "CLUSTER FAILOVER TAKEOVER: no handshake, no vote, the epoch bumped unilaterally; two masters for "
                 "the same slots if the old one is alive behind a partition")
      ->excludes(force);
  c.failover->add_flag("--json", o.json, "JSON on stdout (plan, preflight, steps, pending)");

  c.upgrade = c.command->add_subcommand(
      "upgrade",
      "Rolling restart onto a new Redis binary: replicas one at a time, then each master failed over to a replica "
      "and restarted, each restart followed by a wait until the node is back in sync (docs/cluster-upgrade.md); "
      "exit 0 done (--dry-run: planned), 1 refused or stopped at a failed step");
  c.upgrade->add_option("--node", c.node, "Any node of the cluster, HOST:PORT: the others are found from it")
      ->required();
  c.upgrade
      ->add_option("--restart-cmd", c.restart_cmd,
                   "Restarts one node onto the new binary, run by /bin/sh -c; {host} and {port} are filled in, {{ }} "
                   "are literal braces. Exit 0 when the node was restarted")
      ->required();
  c.upgrade->add_option("--expect-version", c.expect_version,
                        "The Redis version after the restart: each wait checks it, and a node already at it is "
                        "skipped, so a re-run resumes where a run stopped");
  c.upgrade->add_option("--backup-dir", c.upgrade_backup_dir,
                        "Back up every master first (BGSAVE, the RDB and a JSON of replid/offset copied here)");
  c.upgrade->add_option("--state-file", c.state_file,
                        "Where the original masters (for --swap-back) and the nodes restarted so far (skipped by a "
                        "re-run) are recorded across re-runs (default: DIR/cluster-upgrade-state.json with "
                        "--backup-dir DIR, else none); removed when done");
  c.upgrade->add_flag("--swap-back", c.swap_back, "At the end, the original masters take their slots back");
  c.upgrade->add_option("--timeout", c.upgrade_timeout_ms,
                        "Bound of each step (the restart command, each wait, each failover with its retries), ms")
      ->capture_default_str()
      ->check(CLI::Range(1000, 3600000));
  c.upgrade->add_option("--max-lag", c.max_lag,
                        "Bytes a restarted node may be behind its master when its wait ends (the offsets are read "
                        "one after the other under writes), and a failover's preflight bound")
      ->capture_default_str()
      ->check(CLI::Range(0LL, 1LL << 40));
  c.upgrade->add_flag("--dry-run", c.dry_run, "Print the plan (or the refusals), change nothing");
  c.upgrade->add_flag("--json", o.json, "JSON on stdout (plan, steps with their ms, what is left, result)");
}

int run_cluster(const Options& o) {
  if (o.cluster.status->parsed()) return run_status(o);
  if (o.cluster.failover->parsed()) return run_failover(o);
  if (o.cluster.upgrade->parsed()) return run_upgrade(o);
  throw common::ConfigError("cluster: no subcommand");
}

}  // namespace vipkit::vipctl
