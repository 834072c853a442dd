// vipd — a native VRRP speaker (RFC 3768 / RFC 5798) that keeps a Redis
// master/replica pair reachable behind one VIP: it checks the local Redis,
// promotes it before taking the VIP, and interoperates with keepalived.
#include <fmt/format.h>

#include "common/cli.hpp"
#include "common/exit_codes.hpp"
#include "common/log.hpp"
#include "common/version.hpp"
#include "vrrp/vipd/config.hpp"
#include "vrrp/vipd/instance.hpp"
#include "vrrp/vipd/sentinel_instance.hpp"

using namespace vipkit;

int main(int argc, char** argv) {
  if (common::asks_version(argc, argv)) {
    fmt::print("{}\n", common::version_line("vipd"));
    return common::exit_ok;
  }
  CLI::App app{
      "vipd: VRRP speaker for a Redis master/replica pair (one instance per process).\n"
      "  vipd --config FILE [options]          run in the foreground until SIGTERM\n"
      "  vipd --check-config --config FILE     validate and exit\n"
      "  vipd --version                        vipd's version (with other options, --version N is the VRRP version)\n"
      "Exit codes: 0 stopped cleanly / configuration valid, 1 run-time failure, 2 usage or configuration error.",
      "vipd"};
  vipd::VipdOptions options;
  bool check_only = false;
  vipd::add_vipd_options(app, options);
  app.add_flag("--check-config", check_only, "Validate the configuration (one line per error) and exit");
  common::add_config_option(app);

  const vipd::Loaded loaded = vipd::load_options(app, options, {argv + 1, argv + argc});
  if (loaded.exit_code) return *loaded.exit_code;
  for (const auto& error : loaded.errors) common::print_error("vipd", error);
  if (!loaded.errors.empty()) return common::exit_usage;
  return common::guard_main("vipd", [&] {
    const vipd::VipdConfig config = vipd::resolve(options);
    if (check_only) {
      fmt::print("vipd: configuration ok (instance {})\n", config.redis.instance);
      return common::exit_ok;
    }
    const auto log = common::make_logger({"vipd", !options.no_syslog, options.verbose});
    if (config.sentinel) return vipd::run_sentinel_instance(config, log);
    return vipd::run_instance(config, log);
  });
}
