// vipctl — the operator's command: status of a Redis pair behind a VIP, and
// planned zero-loss switchover (promote/demote). docs/switchover.md.
#include <fmt/format.h>

#include <csignal>

#include "common/cli.hpp"
#include "common/exit_codes.hpp"
#include "common/version.hpp"
#include "vipctl/commands.hpp"

using namespace vipkit;

int main(int argc, char** argv) {
  if (common::asks_version(argc, argv)) {
    fmt::print("{}\n", common::version_line("vipctl"));
    return common::exit_ok;
  }
  CLI::App app{
      "vipctl: status, planned switchover and snapshot merges of a Redis master/replica pair behind a VIP;\n"
      "the status of a Redis Cluster, the failover of one of its masters to a replica, and its rolling upgrade.\n"
      "  vipctl [connection options] status [--json | --format table|json|prometheus]\n"
      "  vipctl [connection options] promote|demote [--dry-run] [--timeout MS] [--max-lag BYTES] [--json]\n"
      "         [--redis-only]\n"
      "  vipctl [--backup-dir DIR] snapshot list [--json]\n"
      "  vipctl [connection options] snapshot diff --rdb FILE [--redis-server PATH] [--json]\n"
      "  vipctl [connection options] snapshot merge --rdb FILE [--on-conflict skip|snapshot-wins] [--dry-run]\n"
      "         [--force] [--redis-server PATH] [--json]\n"
      "  vipctl [--backup-dir DIR] snapshot prune --keep N | --older-than D [--dry-run]\n"
      "  vipctl [--user U] [--password-file F] cluster status --node HOST:PORT [--json]\n"
      "  vipctl [--user U] [--password-file F] cluster failover --replica HOST:PORT [--timeout MS] [--max-lag BYTES]\n"
      "         [--dry-run] [--force | --takeover] [--json]\n"
      "  vipctl [--user U] [--password-file F] cluster upgrade --node HOST:PORT --restart-cmd CMD\n"
      "         [--expect-version V] [--backup-dir DIR] [--state-file F] [--swap-back] [--timeout MS] [--max-lag BYTES]\n"
      "         [--dry-run] [--json]\n"
      "Connection options are vip-notify's and vipd's (--host/--port/--socket, --peer, --self, --user,\n"
      "--password-file, --vip, ...), on the command line or in the instance file of either, given with --config.\n"
      "The VIP moves by vipd's control socket with a vipd config or --control-socket; by keepalived (this\n"
      "host's preference file, a track_file) with --vip; not at all with --redis-only.\n"
      "snapshot diff/merge load the RDB into a private redis-server (unix socket, no persistence) removed afterwards.\n"
      "  vipctl --version                      vipctl's version (--version N elsewhere: a vipd config's VRRP version)\n"
      "Exit codes: 0 healthy / done; 1 unhealthy, refused, or switch/merge failed (switch: rolled back);\n"
      "2 usage or configuration error; 3 switch failed AND its rollback failed: the operator must act.",
      "vipctl"};
  vipctl::Options options;
  vipctl::add_options(app, options);
  common::add_config_option(app);
  if (auto code = common::parse_or_exit(app, argc, argv)) return *code;
  // A node that dies mid-switch must fail a write with EPIPE, not kill vipctl
  // between two steps of a switchover.
  std::signal(SIGPIPE, SIG_IGN);
  return common::guard_main("vipctl", [&] { return vipctl::run(options); });
}
