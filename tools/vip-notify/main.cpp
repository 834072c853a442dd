// vip-notify — keepalived notify handler: promote on MASTER, re-point to the
// peer on BACKUP/FAULT only when that is safe, never promote on FAULT/STOP.
#include <unistd.h>

#include "common/cli.hpp"
#include "common/exit_codes.hpp"
#include "common/listen_address.hpp"
#include "common/log.hpp"
#include "common/version.hpp"
#include "vip-notify/event.hpp"
#include "vip-notify/fifo_loop.hpp"
#include "vip-notify/fifo_supervisor.hpp"
#include "vip-notify/handler.hpp"

using namespace vipkit;

int main(int argc, char** argv) {
  CLI::App app{
      "vip-notify: keepalived notify handler for a Redis master/replica pair.\n"
      "  vip-notify master|backup|fault|stop [options]\n"
      "  vip-notify [options] INSTANCE NAME STATE PRIORITY   (keepalived `notify`)\n"
      "  vip-notify --fifo --config-dir DIR [options] FIFO   (vrrp_notify_fifo_script)\n"
      "Exit codes: 0 done or nothing to do, 1 refused/failed/gave up, 2 usage or configuration error.",
      "vip-notify"};
  common::InstanceOptions options;
  std::vector<std::string> positional;
  bool fifo = false;
  bool verbose = false;
  bool no_syslog = false;
  std::string config_dir;
  int reconcile_ms = 3000;
  std::string metrics_listen;
  common::add_instance_options(app, options);
  app.add_option("args", positional, "master|backup|fault|stop, or INSTANCE NAME STATE PRIORITY, or FIFO");
  app.add_flag("--fifo", fifo, "Serve keepalived's notify FIFO (path = last argument)");
  app.add_option("--config-dir", config_dir, "Per-instance configs: DIR/NAME.conf");
  app.add_option("--reconcile-ms", reconcile_ms, "FIFO mode: re-check every instance this often")
      ->capture_default_str()
      ->check(CLI::Range(100, 3600000));
  app.add_option("--metrics-listen", metrics_listen,
                 "FIFO mode: serve Prometheus metrics at http://ADDR:PORT/metrics (IPv4; off when not set)");
  app.add_flag("-v,--verbose", verbose, "Debug logging");
  app.add_flag("--no-syslog", no_syslog, "Log to stderr only");
  common::add_config_option(app);
  common::add_version_flag(app);
  if (auto code = common::parse_or_exit(app, argc, argv)) return *code;

  const auto log = common::make_logger({"vip-notify", !no_syslog, verbose});
  return common::guard_main("vip-notify", [&] {
    if (!metrics_listen.empty() && !fifo) throw common::ConfigError("--metrics-listen needs --fifo");
    if (!metrics_listen.empty() && !common::valid_listen_address(metrics_listen)) {
      throw common::ConfigError("--metrics-listen " + metrics_listen + ": expected IPv4-ADDR:PORT, e.g. 127.0.0.1:9478");
    }
    if (fifo) {
      if (config_dir.empty()) throw common::ConfigError("--fifo needs --config-dir DIR");
      if (positional.empty()) throw common::ConfigError("--fifo needs the FIFO path as the last argument");
      notify::FifoConfig fifo_config{positional.back(), config_dir, std::chrono::milliseconds(reconcile_ms),
                                     options, ::getppid(), -1, metrics_listen};
      return notify::supervise_reader(
          [&](int heartbeat_fd) {
            fifo_config.heartbeat_fd = heartbeat_fd;
            return notify::run_fifo_loop(fifo_config, log);
          },
          [&] { notify::raise_all_track_files(fifo_config, log); }, log);
    }
    const notify::ParsedEvent parsed = notify::parse_arguments(positional);
    if (!parsed.event) throw common::ConfigError(parsed.ignored);
    notify::Event event = *parsed.event;

    // keepalived's generic form names the instance; with --config-dir its
    // config is DIR/NAME.conf, as in FIFO mode.
    if (!config_dir.empty() && !event.instance.empty()) {
      CLI::App instance_app{"instance config", "vip-notify"};
      common::InstanceOptions from_file = options;
      common::add_instance_options(instance_app, from_file);
      common::add_config_option(instance_app);
      common::parse_config_file(instance_app, config_dir + "/" + event.instance + ".conf");
      options = from_file;
    }
    const common::InstanceConfig config = common::resolve_instance(options, event.instance);
    notify::HandleOptions handle_options;
    handle_options.wait_for_peer = true;
    return notify::handle_event(config, event, log, handle_options).exit_code;
  });
}
