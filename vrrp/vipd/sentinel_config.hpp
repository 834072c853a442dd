#pragma once
// vipd's `leader = sentinel` keys (docs/sentinel.md): which Sentinels to
// ask, under which master name, with which password, and what to do without
// a quorum. Parsed and validated here; vrrp/vipd/sentinel_instance runs it.
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/config_lines.hpp"
#include "ha/sentinel_decision.hpp"
#include "redis/credentials.hpp"
#include "redis/endpoint.hpp"

namespace vipkit::vipd {

struct SentinelOptions {
  std::string leader = "vrrp";  // vrrp | sentinel
  std::vector<std::string> sentinels;  // HOST:PORT, repeatable
  std::string master_name;
  std::string password_file;
  std::string on_quorum_loss = "release";  // keep | release; why release: docs/sentinel.md
};

void add_sentinel_options(CLI::App& app, SentinelOptions& options);

bool sentinel_leader(const SentinelOptions& options);

// From the values alone (pure): the leader, each Sentinel address (no
// duplicates: a Sentinel listed twice would vote twice), the master name,
// the policy; Sentinel keys with leader = vrrp are refused, not ignored.
std::vector<common::ConfigProblem> check_sentinel_values(const SentinelOptions& options);
// The password file exists and only its owner can read it.
std::vector<common::ConfigProblem> check_sentinel_environment(const SentinelOptions& options);

struct SentinelConfig {
  std::vector<redis::Endpoint> sentinels;
  std::string master_name;
  redis::Credentials credentials;  // the Sentinels' requirepass; no user
  ha::OnQuorumLoss on_quorum_loss = ha::OnQuorumLoss::release;
};

// nullopt with leader = vrrp. Options that passed both checks; throws
// common::ConfigError otherwise.
std::optional<SentinelConfig> resolve_sentinel(const SentinelOptions& options);

}  // namespace vipkit::vipd
