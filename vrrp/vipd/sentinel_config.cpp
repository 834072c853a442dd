#include "vrrp/vipd/sentinel_config.hpp"

#include <algorithm>

#include "common/cli.hpp"

namespace vipkit::vipd {

void add_sentinel_options(CLI::App& app, SentinelOptions& o) {
  app.add_option("--leader", o.leader, "Who decides where the VIP goes: vrrp (this daemon's VRRP) or sentinel")
      ->capture_default_str();
  app.add_option("--sentinel", o.sentinels, "leader = sentinel: a Sentinel as HOST:PORT; repeatable")
      ->type_size(1)
      ->allow_extra_args(false);
  app.add_option("--master-name", o.master_name, "leader = sentinel: the name the Sentinels monitor the master under");
  app.add_option("--sentinel-password-file", o.password_file,
                 "leader = sentinel: file holding the Sentinels' requirepass (mode 0600)");
  app.add_option("--on-quorum-loss", o.on_quorum_loss,
                 "leader = sentinel: keep or release the VIP when most Sentinels are unreachable")
      ->capture_default_str();
}

bool sentinel_leader(const SentinelOptions& o) { return o.leader == "sentinel"; }

std::vector<common::ConfigProblem> check_sentinel_values(const SentinelOptions& o) {
  std::vector<common::ConfigProblem> out;
  if (o.leader != "vrrp" && o.leader != "sentinel") {
    out.push_back({"leader", o.leader + ": must be vrrp or sentinel"});
    return out;
  }
  if (o.on_quorum_loss != "keep" && o.on_quorum_loss != "release") {
    out.push_back({"on-quorum-loss", o.on_quorum_loss + ": must be keep or release"});
  }
  if (!sentinel_leader(o)) {
    const std::string why = "only with leader = sentinel";
    if (!o.sentinels.empty()) out.push_back({"sentinel", why});
    if (!o.master_name.empty()) out.push_back({"master-name", why});
    if (!o.password_file.empty()) out.push_back({"sentinel-password-file", why});
    return out;
  }
  if (o.sentinels.empty()) out.push_back({"sentinel", "at least one Sentinel is required with leader = sentinel"});
  std::vector<std::string> seen;
  for (const auto& text : o.sentinels) {
    const auto endpoint = redis::parse_host_port(text);
    if (!endpoint) {
      out.push_back({"sentinel", text + ": expected HOST:PORT"});
      continue;
    }
    const std::string key = endpoint->to_string();
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      out.push_back({"sentinel", text + ": listed twice (it would count twice toward a majority)"});
    }
    seen.push_back(key);
  }
  if (o.master_name.empty()) {
    out.push_back({"master-name", "required with leader = sentinel"});
  } else if (o.master_name.find_first_of(" \t\r\n") != std::string::npos) {
    out.push_back({"master-name", o.master_name + ": no blanks (Sentinel names are single words)"});
  }
  return out;
}

std::vector<common::ConfigProblem> check_sentinel_environment(const SentinelOptions& o) {
  std::vector<common::ConfigProblem> out;
  if (!sentinel_leader(o) || o.password_file.empty()) return out;
  if (auto password = redis::read_password_file(o.password_file); !password) {
    out.push_back({"sentinel-password-file", password.error().message});
  }
  return out;
}

std::optional<SentinelConfig> resolve_sentinel(const SentinelOptions& o) {
  auto problems = check_sentinel_values(o);
  for (auto& p : check_sentinel_environment(o)) problems.push_back(std::move(p));
  if (!problems.empty()) throw common::ConfigError(problems.front().key + ": " + problems.front().reason);
  if (!sentinel_leader(o)) return std::nullopt;
  SentinelConfig c;
  for (const auto& text : o.sentinels) c.sentinels.push_back(*redis::parse_host_port(text));
  c.master_name = o.master_name;
  if (!o.password_file.empty()) c.credentials.password = redis::read_password_file(o.password_file).value();
  c.on_quorum_loss = o.on_quorum_loss == "keep" ? ha::OnQuorumLoss::keep : ha::OnQuorumLoss::release;
  return c;
}

}  // namespace vipkit::vipd
