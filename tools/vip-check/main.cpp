// vip-check — health probe for keepalived's vrrp_script.
#include <fmt/format.h>

#include "common/cli.hpp"
#include "common/exit_codes.hpp"
#include "common/instance_config.hpp"
#include "common/outside_text.hpp"
#include "common/version.hpp"
#include "vip-check/check.hpp"

using namespace vipkit;

int main(int argc, char** argv) {
  CLI::App app{"vip-check: probe a Redis for keepalived's vrrp_script.\n"
               "Exit codes: 0 healthy, 1 unhealthy (one line on stderr: REASON: detail),\n"
               "2 usage or configuration error. Silent on success.",
               "vip-check"};
  common::InstanceOptions instance_options;  // the shared instance file may hold vip-notify keys
  std::string expect_text = "alive";
  bool verbose = false;
  app.add_option("--expect", expect_text, "alive | master | replica | eligible")
      ->capture_default_str()
      ->check(CLI::IsMember({"alive", "master", "replica", "eligible"}));
  // 500 ms: well inside keepalived's script timeout.
  common::add_instance_options(app, instance_options, /*notify_only_hidden=*/true, 500);
  app.add_flag("-v,--verbose", verbose, "Print the observed state on success too");
  common::add_config_option(app);
  common::add_version_flag(app);
  if (auto code = common::parse_or_exit(app, argc, argv)) return *code;

  return common::guard_main("vip-check", [&] {
    check::CheckConfig config;
    config.expect = *check::parse_expect(expect_text);
    config.connections = common::resolve(instance_options.redis);
    if (config.expect == check::Expect::eligible && !config.connections.peer) {
      throw common::ConfigError("--expect eligible needs --peer HOST:PORT");
    }
    const check::CheckResult result = check::run_check(config);
    if (!result.healthy) {
      fmt::print(stderr, "{}: {}\n", result.reason, common::printable_message(result.detail));
      return common::exit_failed;
    }
    if (verbose) fmt::print("ok: {}\n", common::printable_message(result.detail));
    return common::exit_ok;
  });
}
