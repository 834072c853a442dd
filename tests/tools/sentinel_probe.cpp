// vipkit-sentinel-probe — test client for `leader = sentinel` before vipd
// runs it: asks every --sentinel (ha::observe_sentinels), asks the local
// Redis its ROLE, and prints one line per Sentinel then the decision
// (ha::decide_sentinel) as vipd would log it. The integration suite reads
// these lines. Redis password from --password-file or REDISCLI_AUTH; the
// Sentinels' from --sentinel-password-file only.
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "ha/sentinel_observe.hpp"
#include "redis/commands.hpp"

using namespace vipkit;

namespace {

redis::Endpoint endpoint_or_throw(const std::string& text) {
  auto endpoint = redis::parse_host_port(text);
  if (!endpoint) throw CLI::ValidationError("not HOST:PORT: " + text);
  return *endpoint;
}

ha::LocalRole local_role(const redis::Endpoint& local, const redis::Credentials& credentials,
                         std::chrono::milliseconds timeout) {
  const auto deadline = redis::Clock::now() + timeout;
  auto connection = redis::Connection::open(local, credentials, deadline);
  if (!connection) return ha::LocalRole::unreachable;
  const auto role = redis::role(connection.value(), deadline);
  if (!role) return ha::LocalRole::unreachable;
  return ha::local_role_of(role->role);
}

std::string describe(const ha::SentinelReport& r) {
  switch (r.kind) {
    case ha::SentinelReport::Kind::unreachable: return "unreachable";
    case ha::SentinelReport::Kind::error: return "error " + r.error;
    case ha::SentinelReport::Kind::unknown_master: return "unknown-master";
    case ha::SentinelReport::Kind::master:
      return "master=" + r.master.to_string() + " epoch=" + std::to_string(r.config_epoch) +
             (r.failover_in_progress ? " failover-in-progress" : "");
  }
  return "?";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vipkit-sentinel-probe: the Sentinel view and the VIP decision, once"};
  std::vector<std::string> sentinel_texts, local_texts;
  std::string master_name, sentinel_password_file, password_file, on_quorum_loss = "release";
  int timeout_ms = 500;
  std::uint64_t last_epoch = 0;
  bool holding = false, fence = false;
  app.add_option("--sentinel", sentinel_texts, "HOST:PORT of a Sentinel (repeat)")->required();
  app.add_option("--master-name", master_name, "the monitored master's name")->required();
  app.add_option("--local", local_texts, "HOST:PORT of the local Redis as Sentinels name it (repeat)")->required();
  app.add_option("--sentinel-password-file", sentinel_password_file, "the Sentinels' requirepass");
  app.add_option("--password-file", password_file, "the local Redis's password");
  app.add_option("--timeout", timeout_ms, "per Sentinel, ms");
  app.add_option("--last-epoch", last_epoch, "the epoch of the previous decision");
  app.add_option("--on-quorum-loss", on_quorum_loss, "keep|release")->check(CLI::IsMember({"keep", "release"}));
  app.add_flag("--holding", holding, "this host holds the VIP now");
  app.add_flag("--fence", fence, "fence a local master that must not hold the VIP");
  // A suite passes the common options first and a case overrides one.
  for (const char* name : {"--master-name", "--sentinel-password-file", "--password-file"}) {
    app.get_option(name)->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  }
  CLI11_PARSE(app, argc, argv);

  try {
    ha::SentinelInput in;
    std::vector<redis::Endpoint> sentinels;
    for (const auto& text : sentinel_texts) sentinels.push_back(endpoint_or_throw(text));
    for (const auto& text : local_texts) in.local_addresses.push_back(endpoint_or_throw(text));
    redis::Credentials sentinel_credentials;
    if (!sentinel_password_file.empty()) {
      auto password = redis::read_password_file(sentinel_password_file);
      if (!password) throw CLI::ValidationError(password.error().message);
      sentinel_credentials.password = password.value();
    }
    auto credentials = redis::load_credentials("", password_file);
    if (!credentials) throw CLI::ValidationError(credentials.error().message);
    const std::chrono::milliseconds timeout(timeout_ms);

    in.reports = ha::observe_sentinels(sentinels, sentinel_credentials, master_name, timeout);
    in.local_role = local_role(in.local_addresses.front(), credentials.value(), timeout);
    in.policy = {on_quorum_loss == "keep" ? ha::OnQuorumLoss::keep : ha::OnQuorumLoss::release, fence};
    in.last_epoch = last_epoch;
    in.holding_vip = holding;
    for (std::size_t i = 0; i < sentinels.size(); ++i) {
      std::printf("sentinel %s %s\n", sentinels[i].to_string().c_str(), describe(in.reports[i]).c_str());
    }
    std::printf("decision %s\n", ha::to_text(ha::decide_sentinel(in)).c_str());
  } catch (const CLI::ValidationError& e) {
    std::fprintf(stderr, "vipkit-sentinel-probe: %s\n", e.what());
    return 2;
  }
  return 0;
}
