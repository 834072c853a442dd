#include "vipctl/commands.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <set>

#include "common/cli.hpp"
#include "common/control_client.hpp"
#include "common/exit_codes.hpp"
#include "common/json_fields.hpp"
#include "common/log.hpp"
#include "vipctl/sentinel_switch.hpp"
#include "vipctl/sentinel_view.hpp"
#include "vipctl/status.hpp"
#include "vipctl/status_render.hpp"
#include "vipctl/switchover.hpp"
#include "vipctl/switchover_render.hpp"

namespace vipkit::vipctl {

namespace {

// The options vipctl's --help shows. The others — vipd's own (interface,
// vrid, adverts...) and vip-notify's handler policies — are accepted so that
// either instance file can be given with --config, but are not listed.
const std::set<std::string> shown_options = {"--host", "--port", "--socket", "--user", "--password-file", "--peer",
                                             "--timeout", "--vip", "--self", "--instance", "--state-dir",
                                             "--prefer-file", "--control-socket", "--vip-port", "--verbose",
                                             "--backup-dir"};

struct Pair {
  common::InstanceConfig instance;
  std::optional<std::string> vipd_socket;  // vipd moves the VIP (a vipd config, or --control-socket)
};

Pair resolve_pair(const Options& o) {
  Pair p;
  common::InstanceOptions instance = o.vipd.redis;
  // vipd's `vip` is ADDR/PLEN and may repeat; vip-notify's one ADDR.
  if (!o.vipd.vips.empty()) instance.redis.vip = o.vipd.vips.front().substr(0, o.vipd.vips.front().find('/'));
  p.instance = common::resolve_instance(instance, "");
  if (!p.instance.connections.peer) throw common::ConfigError("needs --peer HOST:PORT (or peer = in the --config file)");
  if (!o.vipd.interface.empty()) {
    p.vipd_socket = vipd::resolve(o.vipd).control_socket;  // a vipd config: its socket (default by instance name)
  } else if (!o.vipd.control_socket.empty()) {
    p.vipd_socket = o.vipd.control_socket;
  }
  return p;
}

// The Redis port clients use on the VIP: by default the local Redis port,
// right when both nodes of the pair listen on one port (seeds-003-pair);
// --vip-port when they do not (the seeds/000 layout, README).
int vip_port_of(const Options& o, const common::InstanceConfig& c) {
  if (o.vip_port != 0) return o.vip_port;
  if (!c.connections.local.endpoint.is_unix()) return c.connections.local.endpoint.port;
  return c.connections.peer->endpoint.port;
}

// leader = sentinel: the local vipd's Sentinel view (sentinel_view.hpp).
int run_sentinel_status(const Options& o) {
  const vipd::VipdConfig c = vipd::resolve(o.vipd);
  if (o.status_format == "prometheus") {
    throw common::ConfigError("--format prometheus: not available with leader = sentinel yet (docs/sentinel.md)");
  }
  const auto answer = common::control_request(c.control_socket, {{"cmd", "status"}}, c.redis.connections.timeout);
  const bool healthy = sentinel_view_healthy(answer);
  if (o.json || o.status_format == "json") {
    nlohmann::json out = answer ? answer.value() : nlohmann::json{{"ok", false}, {"error", answer.error().message}};
    out["healthy"] = healthy;
    fmt::print("{}\n", common::json_text(out, 2));
  } else {
    fmt::print("{}", sentinel_view_text(answer, c.control_socket));
  }
  return healthy ? common::exit_ok : common::exit_failed;
}

int run_status(const Options& o) {
  if (vipd::sentinel_leader(o.vipd.sentinel)) return run_sentinel_status(o);
  const Pair pair = resolve_pair(o);
  StatusConfig config;
  config.instance = pair.instance;
  config.vipd_socket = pair.vipd_socket;
  config.vip_port = vip_port_of(o, config.instance);
  const PairStatus status = gather_status(config);
  const Health health = assess_health(status);
  if (o.status_format == "prometheus") {
    // For node_exporter's textfile collector: the health is in the metrics,
    // and `vipctl status --format prometheus > f.tmp && mv f.tmp f.prom`
    // must go on updating the file exactly when the pair is unhealthy.
    fmt::print("{}", status_prometheus(status, health));
    return common::exit_ok;
  }
  if (o.json || o.status_format == "json") {
    fmt::print("{}\n", common::json_text(status_json(status, health), 2));
  } else {
    fmt::print("{}", status_table(status, health));
  }
  return health.healthy ? common::exit_ok : common::exit_failed;
}

std::string invoked_by() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return fmt::format("vipctl@{} pid={}", host, ::getpid());
}

std::unique_ptr<VipMover> mover_for(const Options& o, const Pair& p) {
  if (o.redis_only) return std::make_unique<RedisOnlyMover>();
  if (!p.instance.connections.vip) {
    throw common::ConfigError(
        "no VIP mover: give --vip (keepalived moves it through the preference file; with --control-socket or a "
        "vipd config, vipd does), or --redis-only to switch the Redis roles alone");
  }
  if (p.vipd_socket) return std::make_unique<VipdMover>(*p.vipd_socket, p.instance.connections.timeout);
  return std::make_unique<PreferenceFileMover>(p.instance.prefer_file);
}

// How a switch is reported, whoever ran it: one log line per step as it
// happens (the sink), the preflight at debug, a summary line, then the
// table or JSON on stdout. The exit code.
int report_switch(const Options& o, Operation op, const common::Logger& log, const SwitchoverReport& report);

StepSink step_logger(const common::Logger& log, Operation op) {
  return [log, op_name = std::string(to_token(op))](const ha::Step& s) {
    log->info("step op={} name={} ok={} ms={} detail={}", op_name, s.name, s.ok ? "yes" : "no", s.duration.count(),
              common::kv_value(s.detail));
  };
}

// leader = sentinel: the switch is a SENTINEL FAILOVER (sentinel_switch.hpp).
int run_sentinel_switch(const Options& o, Operation op) {
  const vipd::VipdConfig c = vipd::resolve(o.vipd);
  SentinelSwitchConfig config;
  config.op = op;
  config.local = c.redis.connections.local;
  config.local_advertised = *c.redis.self;  // required in this mode
  config.sentinel = *c.sentinel;
  config.vipd_socket = c.control_socket;
  if (!o.vipd.vips.empty()) config.vip = o.vipd.vips.front().substr(0, o.vipd.vips.front().find('/'));
  config.vip_port = o.vip_port != 0 ? o.vip_port : c.redis.connections.local.endpoint.port;
  config.timeout = std::chrono::milliseconds(o.switch_timeout_ms);
  config.vip_timeout = std::chrono::milliseconds(o.vip_timeout_ms);
  config.exchange_timeout = c.redis.connections.timeout;
  config.dry_run = o.dry_run;
  const auto log = common::make_logger({"vipctl", /*syslog=*/false, o.vipd.verbose});
  return report_switch(o, op, log, run_sentinel_switchover(config, step_logger(log, op)));
}

int run_switch(const Options& o, Operation op) {
  if (vipd::sentinel_leader(o.vipd.sentinel)) return run_sentinel_switch(o, op);
  const Pair pair = resolve_pair(o);
  const common::InstanceConfig& instance = pair.instance;
  if (!instance.self) {
    throw common::ConfigError("needs --self HOST:PORT: the address at which the peer reaches the local Redis");
  }
  SwitchoverConfig config;
  config.op = op;
  config.local = instance.connections.local;
  config.peer = *instance.connections.peer;
  config.local_advertised = *instance.self;
  config.vip = instance.connections.vip;
  config.vip_port = vip_port_of(o, instance);
  config.timeout = std::chrono::milliseconds(o.switch_timeout_ms);
  config.vip_timeout = std::chrono::milliseconds(o.vip_timeout_ms);
  config.exchange_timeout = instance.connections.timeout;
  config.max_lag = o.max_lag;
  config.dry_run = o.dry_run;
  config.force_client_pause = o.force_client_pause;
  config.by = invoked_by();
  const auto mover = mover_for(o, pair);

  const auto log = common::make_logger({"vipctl", /*syslog=*/false, o.vipd.verbose});
  return report_switch(o, op, log, run_switchover(config, *mover, step_logger(log, op)));
}

int report_switch(const Options& o, Operation op, const common::Logger& log, const SwitchoverReport& report) {
  const std::string op_name(to_token(op));
  for (const auto& c : report.preflight.checks) {
    log->debug("check op={} name={} status={} detail={}", op_name, c.name, to_token(c.status),
               common::kv_value(c.detail));
  }
  const int code = exit_code(report);
  log->log(code == common::exit_ok ? spdlog::level::info : spdlog::level::err,
           "switchover op={} result={} reason={} from={} to={} method={} write_pause_ms={} total_ms={}", op_name,
           to_token(report.result), report.reason.empty() ? "-" : report.reason, report.from, report.to,
           to_token(report.method), report.write_pause ? std::to_string(report.write_pause->count()) : "-",
           report.total.count());
  if (o.json) {
    fmt::print("{}\n", common::json_text(switchover_json(report), 2));
  } else {
    fmt::print("{}", switchover_text(report));
  }
  return code;
}

void add_switch_options(CLI::App& sub, Options& o) {
  sub.add_flag("--dry-run", o.dry_run, "Run the preflight checks, print them, change nothing");
  sub.add_option("--timeout", o.switch_timeout_ms,
                 "Bound of the Redis switch (the longest write pause on the old master) and of the link-up, ms")
      ->capture_default_str()
      ->check(CLI::Range(100, 600000));
  sub.add_option("--vip-timeout", o.vip_timeout_ms, "Bound of each wait for the VIP to move, ms")
      ->capture_default_str()
      ->check(CLI::Range(100, 600000));
  sub.add_option("--max-lag", o.max_lag, "Refuse when the replica is more than this many bytes behind")
      ->capture_default_str()
      ->check(CLI::Range(0LL, 1LL << 40));
  sub.add_flag("--json", o.json, "JSON result on stdout (steps, write_pause_ms)");
  sub.add_flag("--redis-only", o.redis_only, "Switch the Redis roles without moving any VIP");
  // Tests: take the < 6.2 path (CLIENT PAUSE + REPLICAOF) on a newer Redis.
  sub.add_flag("--client-pause", o.force_client_pause, "")->group("");
}

}  // namespace

void add_options(CLI::App& app, Options& o) {
  app.require_subcommand(1);
  // Connection options may follow the subcommand: `vipctl status --port 6380`.
  app.fallthrough();
  vipd::add_vipd_options(app, o.vipd);
  common::add_speaker_options(app, o.vipd.redis.speaker);  // a vip-notify instance file's vrrp-* keys
  app.add_option("--vip-port", o.vip_port, "Redis port on the VIP (default: the local Redis port)")
      ->check(CLI::Range(1, 65535));
  for (CLI::Option* opt : app.get_options()) {
    if (opt->get_name().empty() || opt->get_name() == "--help") continue;
    if (!shown_options.contains(opt->get_name())) opt->group("");
  }
  app.get_option("--vip")->description("The virtual IP (ADDR or ADDR/PLEN): where it is, where it must go");
  app.get_option("--control-socket")->description("vipd's control socket: vipd moves the VIP (default with a vipd config: /run/vipkit/NAME.sock)");
  app.get_option("--verbose")->description("Log the preflight checks too");
  o.status = app.add_subcommand("status", "Both nodes, the VIP, the VRRP state; exit 0 only when healthy");
  o.status->add_flag("--json", o.json, "JSON on stdout instead of the table (--format json)");
  o.status->add_option("--format", o.status_format,
                       "table, json, or prometheus (node_exporter's textfile collector; exit 0 whenever printed)")
      ->check(CLI::IsMember({"table", "json", "prometheus"}))
      ->capture_default_str();
  o.promote = app.add_subcommand("promote", "Make the local replica the master and move the VIP to it, losing no write");
  add_switch_options(*o.promote, o);
  o.demote = app.add_subcommand("demote", "Hand the master role and the VIP from the local node to the peer");
  add_switch_options(*o.demote, o);
  add_snapshot_options(app, o);
  add_cluster_options(app, o);
}

int run(const Options& o) {
  if (o.status->parsed()) return run_status(o);
  if (o.promote->parsed()) return run_switch(o, Operation::promote);
  if (o.demote->parsed()) return run_switch(o, Operation::demote);
  if (o.snapshot.command->parsed()) return run_snapshot(o);
  if (o.cluster.command->parsed()) return run_cluster(o);
  throw common::ConfigError("no subcommand");
}

}  // namespace vipkit::vipctl
