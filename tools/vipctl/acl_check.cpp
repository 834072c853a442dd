#include "vipctl/acl_check.hpp"

#include <fmt/format.h>

#include <cctype>

#include "ha/switchover.hpp"

namespace vipkit::vipctl {

namespace {
constexpr redis::Version dryrun_since{7, 0, 0};

std::string lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string command_name(const std::vector<std::string>& argv) {
  std::string name = lowercase(argv.at(0));
  // Container commands are granted per subcommand (client|pause).
  // Appended piece by piece: `"|" + std::string&&` trips g++ 12's
  // -Wrestrict false positive at -O3 (Release), a known GCC bug.
  if (name == "client" && argv.size() > 1) {
    name += '|';
    name += lowercase(argv[1]);
  }
  return name;
}
}  // namespace

std::vector<std::vector<std::string>> commands_needed(Method method) {
  const std::string key(ha::switchover_key);
  std::vector<std::vector<std::string>> commands = {
      {"INFO", "replication"},
      {"ROLE"},
      {"SET", key, "x", "NX", "PX", "1000"},
      {"GET", key},
      {"PTTL", key},
      {"DEL", key},
      {"CLIENT", "UNPAUSE"},
      {"REPLICAOF", "NO", "ONE"},  // rollback: promote the old master back
  };
  if (method == Method::failover) {
    commands.push_back({"FAILOVER", "ABORT"});
  } else {
    commands.push_back({"CLIENT", "PAUSE", "1000", "WRITE"});
  }
  return commands;
}

DryRun classify_dryrun(const std::string& command, const redis::Result<redis::Reply>& reply) {
  if (!reply) return {command, CheckStatus::unknown, reply.error().message};
  if (reply->type == redis::Reply::Type::status && reply->str == "OK") return {command, CheckStatus::pass, ""};
  // A bulk string is the denial ("User u has no permissions to run the 'failover' command").
  return {command, CheckStatus::fail, reply->str};
}

Check summarize_acl(const std::string& user, const std::vector<DryRun>& runs) {
  std::string denied, unknown;
  for (const auto& r : runs) {
    if (r.status == CheckStatus::fail) denied += (denied.empty() ? "" : ", ") + r.command;
    if (r.status == CheckStatus::unknown && unknown.empty()) unknown = r.command + ": " + r.text;
  }
  if (!denied.empty()) {
    return {"acl", CheckStatus::fail, fmt::format("user {} may not run: {}", user, denied)};
  }
  if (!unknown.empty()) return {"acl", CheckStatus::unknown, fmt::format("user {}: cannot tell ({})", user, unknown)};
  return {"acl", CheckStatus::pass, fmt::format("user {} may run every command needed", user)};
}

Check check_acl(const std::vector<const NodeView*>& nodes, const redis::Credentials& credentials, Method method,
                redis::Deadline deadline) {
  const std::string user = credentials.user.empty() ? "default" : credentials.user;
  std::vector<DryRun> runs;
  for (const NodeView* node : nodes) {
    const std::string where = node->endpoint.to_string();
    if (!node->server) {
      runs.push_back({where, CheckStatus::unknown, "version unknown"});
      continue;
    }
    if (node->server->version < dryrun_since) {
      if (!credentials.user.empty()) runs.push_back({where, CheckStatus::unknown, "no ACL DRYRUN before Redis 7.0"});
      continue;  // the default user of an older server: every right, as without ACLs
    }
    auto c = redis::Connection::open(node->endpoint, credentials, deadline);
    if (!c) {
      runs.push_back({where, CheckStatus::unknown, c.error().message});
      continue;
    }
    for (const auto& argv : commands_needed(method)) {
      std::vector<std::string> dry = {"ACL", "DRYRUN", user};
      dry.insert(dry.end(), argv.begin(), argv.end());
      runs.push_back(classify_dryrun(where + " " + command_name(argv), c->command(dry, deadline)));
    }
  }
  return summarize_acl(user, runs);
}

}  // namespace vipkit::vipctl
