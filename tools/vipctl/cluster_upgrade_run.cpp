#include "vipctl/cluster_upgrade_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/atomic_file.hpp"
#include "common/exit_codes.hpp"
#include "ha/observe.hpp"
#include "ha/snapshot.hpp"
#include "ha/step_recorder.hpp"
#include "vipctl/cluster_failover_run.hpp"
#include "vipctl/cluster_gather.hpp"
#include "vipctl/shell_run.hpp"
#include "vipctl/upgrade_state.hpp"

namespace vipkit::vipctl {

namespace {

using redis::Clock;

// What a step returns: ok, the detail for the log, and for a wait the
// findings still missing at its deadline.
struct StepOutcome {
  bool ok = false;
  std::string detail;
  std::vector<Finding> pending;
};

std::string findings_text(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& f : findings) out += (out.empty() ? "" : "; ") + f.reason + ": " + f.detail;
  return out;
}

class Runner {
 public:
  Runner(const ClusterUpgradeConfig& c, const StepSink& on_step) : c_(c), on_step_(on_step) {}

  // The cluster as any node sees it: the seed first, else each node the
  // first view listed — the seed itself is restarted during the upgrade.
  ClusterStatus gather() const {
    ClusterStatus s = gather_cluster({c_.seed, c_.credentials, c_.exchange_timeout});
    for (const auto& address : addresses_) {
      if (!s.seed_error) break;
      const auto e = redis::parse_host_port(address);
      if (e && *e != c_.seed) s = gather_cluster({*e, c_.credentials, c_.exchange_timeout});
    }
    return s;
  }

  void remember_addresses(const ClusterStatus& s) {
    for (const auto& m : s.members) addresses_.push_back(m.address);
  }

  StepOutcome run(const UpgradeStep& step) {
    switch (step.kind) {
      case StepKind::check_health: return check_health();
      case StepKind::backup: return backup(step);
      case StepKind::restart: return restart(step);
      case StepKind::wait_synced: return wait_synced(step);
      case StepKind::failover: return failover(step);
    }
    return {false, "unknown step", {}};
  }

 private:
  StepOutcome check_health() const {
    const ClusterStatus s = gather();
    const auto findings = upgrade_health(s);
    if (findings.empty()) return {true, s.seed + ": healthy", {}};
    return {false, s.seed + ": " + findings_text(findings), findings};
  }

  StepOutcome backup(const UpgradeStep& step) const {
    const auto endpoint = redis::parse_host_port(step.node.address);
    if (!endpoint) return {false, step.node.address + ": not HOST:PORT", {}};
    const ha::Target target{*endpoint, c_.credentials};
    const ha::NodeState observed =
        ha::observe(*endpoint, c_.credentials, Clock::now() + c_.exchange_timeout);
    if (!observed.reachable) {
      return {false, step.node.address + ": " + (observed.error ? observed.error->message : "unreachable"), {}};
    }
    const std::string instance = fmt::format("cluster-{}-{}", endpoint->host, endpoint->port);
    const ha::SnapshotResult r = ha::snapshot(target, observed, instance, c_.backup_dir, "", c_.step_timeout);
    if (r.outcome.ok) return {true, fmt::format("{}: {} ({})", step.node.address, r.rdb_path, r.meta_path), {}};
    const std::string why = r.outcome.steps.empty() ? r.outcome.reason : r.outcome.steps.back().detail;
    return {false, fmt::format("{}: {}: {}", step.node.address, r.outcome.reason, why), {}};
  }

  StepOutcome restart(const UpgradeStep& step) const {
    const auto endpoint = redis::parse_host_port(step.node.address);
    if (!endpoint) return {false, step.node.address + ": not HOST:PORT", {}};
    const auto command = fill_restart_command(c_.restart, endpoint->host, endpoint->port);
    if (!command) return {false, step.node.address + ": " + command.error().message, {}};
    const ShellRun r = run_shell(command.value(), c_.step_timeout);
    const bool ok = r.started && !r.timed_out && r.signal == 0 && r.exit_code == 0;
    return {ok, fmt::format("{}: {}: {}", step.node.address, command.value(), shell_run_text(r, c_.step_timeout)),
            {}};
  }

  StepOutcome wait_synced(const UpgradeStep& step) const {
    const auto deadline = Clock::now() + c_.step_timeout;
    for (;;) {
      const ClusterStatus s = gather();
      auto missing = check_synced(s, step.node.id, step.peer.id, c_.expect_version, c_.max_lag);
      if (s.seed_error) missing.push_back({"seed-unreachable", s.seed_error->message});
      if (missing.empty()) return {true, step.node.address + ": synced, cluster healthy", {}};
      if (auto changed = identity_changed(s, step.node)) {
        missing.insert(missing.begin(), *changed);
        return {false, fmt::format("{}: {}", step.node.address, findings_text(missing)), missing};
      }
      if (Clock::now() >= deadline) {
        return {false,
                fmt::format("{}: not within {} ms: {}", step.node.address, c_.step_timeout.count(),
                            findings_text(missing)),
                missing};
      }
      std::this_thread::sleep_for(c_.poll);
    }
  }

  // Asked only while the node is unreachable by its id, or answers at its
  // address without naming itself by it: a node that answers there under
  // another id will never be met again.
  std::optional<Finding> identity_changed(const ClusterStatus& s, const NodeRef& node) const {
    const ClusterMember* member = find_member(s, node.id);
    const redis::ClusterNode* own = member != nullptr ? own_line(*member) : nullptr;
    if (member != nullptr && !member->unreachable && (!member->view || (own != nullptr && own->id == node.id))) {
      return std::nullopt;
    }
    const auto endpoint = redis::parse_host_port(node.address);
    if (!endpoint) return std::nullopt;
    const auto id = node_id_at(*endpoint, c_.credentials, c_.exchange_timeout);
    if (!id) return std::nullopt;
    return identity_finding(node, id.value());
  }

  // Retried while the failover is reverted, not elected or times out:
  // Redis 7.0 reverts a manual failover that follows the previous one of
  // the pair within the election retry time (4 x cluster-node-timeout), and
  // swap-back is such a failover; an election whose votes were lost ends
  // when Redis gives the manual failover up (5 s), and the next attempt is
  // sent as soon as the replica can be elected again (retry_in), never
  // earlier: that would pause the old master's writes again for nothing.
  // A refusal of the first attempt is final (its preflight says why);
  // after a revert the views take a moment to agree again.
  StepOutcome failover(const UpgradeStep& step) const {
    const auto endpoint = redis::parse_host_port(step.node.address);
    if (!endpoint) return {false, step.node.address + ": not HOST:PORT", {}};
    const auto deadline = Clock::now() + c_.step_timeout;
    ClusterFailoverConfig fc;
    fc.replica = *endpoint;
    fc.credentials = c_.credentials;
    fc.exchange_timeout = c_.exchange_timeout;
    fc.max_lag = c_.max_lag;
    const auto log_sub_step = [this](const ha::Step& s) {
      if (on_step_) on_step_(ha::Step{"failover." + s.name, s.ok, s.duration, s.detail});
    };
    for (int attempt = 1;; ++attempt) {
      fc.timeout = std::max(milliseconds(1000), std::min(milliseconds(15000), remaining(deadline)));
      const ClusterFailoverReport r = run_cluster_failover(fc, log_sub_step);
      if (r.result == ClusterFailoverResult::done) {
        return {true, fmt::format("{}: master of {}'s slots (attempt {})", step.node.address, step.peer.address,
                                  attempt), {}};
      }
      std::string why = r.reason;
      for (const auto& check : r.preflight.checks) {
        if (check.status == CheckStatus::fail) why += "; " + check.name + ": " + check.detail;
      }
      if (!r.steps.empty() && !r.steps.back().ok) why += "; " + r.steps.back().detail;
      const bool retry = r.reason == "failover-reverted" || r.reason == "failover-not-elected" ||
                         r.reason == "failover-timeout" ||
                         (attempt > 1 && r.result == ClusterFailoverResult::refused);
      const milliseconds pause = std::max(milliseconds(1000), r.retry_in);
      if (!retry || remaining(deadline) < pause + milliseconds(2000)) {
        return {false, fmt::format("{}: attempt {}: {}", step.node.address, attempt, why), {}};
      }
      std::this_thread::sleep_for(pause);
      log_sub_step(ha::Step{"retry-wait", true, pause, fmt::format("attempt {} after {}", attempt + 1, r.reason)});
    }
  }

  static milliseconds remaining(Clock::time_point deadline) {
    return std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
  }

  const ClusterUpgradeConfig& c_;
  const StepSink& on_step_;
  std::vector<std::string> addresses_;
};

Result<std::optional<UpgradeState>, std::string> load_state(const std::string& path) {
  if (path.empty()) return std::optional<UpgradeState>{};
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::optional<UpgradeState>{};
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return path + ": cannot read";
  auto state = parse_upgrade_state(text.str());
  if (!state) return path + ": " + state.error();
  return std::optional<UpgradeState>{state.value()};
}

}  // namespace

std::string_view to_token(ClusterUpgradeResult r) {
  switch (r) {
    case ClusterUpgradeResult::done: return "done";
    case ClusterUpgradeResult::dry_run: return "dry-run";
    case ClusterUpgradeResult::refused: return "refused";
    case ClusterUpgradeResult::failed: return "failed";
  }
  return "failed";
}

int exit_code(const ClusterUpgradeReport& r) {
  switch (r.result) {
    case ClusterUpgradeResult::done: return common::exit_ok;
    case ClusterUpgradeResult::dry_run: return r.plan.refused() ? common::exit_failed : common::exit_ok;
    case ClusterUpgradeResult::refused:
    case ClusterUpgradeResult::failed: return common::exit_failed;
  }
  return common::exit_failed;
}

ClusterUpgradeReport run_cluster_upgrade(const ClusterUpgradeConfig& c, const StepSink& on_step) {
  const auto started = Clock::now();
  ClusterUpgradeReport report;
  report.state_file = c.state_file;
  auto finish = [&](ClusterUpgradeResult result, std::string reason, std::string detail) -> ClusterUpgradeReport& {
    report.result = result;
    report.reason = std::move(reason);
    report.detail = std::move(detail);
    report.total = ha::since(started);
    return report;
  };
  Runner runner(c, on_step);

  // 1. Observe and plan; nothing changes before the plan holds.
  const ClusterStatus before = runner.gather();
  runner.remember_addresses(before);
  const auto recorded = load_state(c.state_file);
  if (!recorded) return finish(ClusterUpgradeResult::refused, "state-file-unusable", recorded.error());
  UpgradeOptions options;
  options.expect_version = c.expect_version;
  options.backup = !c.backup_dir.empty();
  options.swap_back = c.swap_back;
  options.recorded = !c.state_file.empty();
  if (recorded.value()) {
    options.original_masters = recorded.value()->original_masters;
    options.restarted = recorded.value()->restarted;
  }
  report.plan = plan_upgrade(before, options);
  report.original_masters =
      options.original_masters.empty() ? original_masters_of(before) : options.original_masters;
  if (c.dry_run) return finish(ClusterUpgradeResult::dry_run, report.plan.refused() ? "plan-refused" : "", "");
  if (report.plan.refused()) return finish(ClusterUpgradeResult::refused, "plan-refused", "");

  // 2. The record of the original masters, before the first step changes
  //    them, and of each node restarted, as soon as its restart returns: a
  //    re-run after a stop reads it back.
  UpgradeState state{before.seed, report.original_masters, options.restarted};
  if (recorded.value()) state.seed = recorded.value()->seed;
  const auto record = [&]() -> Result<Done, std::string> {
    if (c.state_file.empty()) return Done{};
    std::error_code ec;
    const auto dir = std::filesystem::path(c.state_file).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    if (auto written = common::write_file_atomically(c.state_file, upgrade_state_text(state)); !written) {
      return written.error().message;
    }
    return Done{};
  };
  if (auto written = record(); !written) {
    return finish(ClusterUpgradeResult::refused, "state-file-unusable", written.error());
  }

  // 3. The steps, in order; the first failure stops the run.
  const auto& steps = report.plan.steps;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto start = Clock::now();
    StepOutcome outcome = runner.run(steps[i]);
    if (outcome.ok && steps[i].kind == StepKind::restart) {
      // Not recording it costs a second restart of this node on a re-run,
      // nothing worse: the run goes on, the step log says so.
      state.restarted.push_back(steps[i].node.id);
      if (auto written = record(); !written) outcome.detail += " (not recorded: " + written.error() + ")";
    }
    report.steps.push_back(ha::Step{std::string(to_token(steps[i].kind)), outcome.ok, ha::since(start),
                                    outcome.detail});
    if (on_step) on_step(report.steps.back());
    if (!outcome.ok) {
      report.remaining.assign(steps.begin() + static_cast<std::ptrdiff_t>(i), steps.end());
      report.pending = std::move(outcome.pending);
      return finish(ClusterUpgradeResult::failed, std::string(to_token(steps[i].kind)) + "-failed", outcome.detail);
    }
  }

  // 4. Done: the record has served. A later upgrade starts from its own view.
  if (!c.state_file.empty()) {
    std::error_code ec;
    std::filesystem::remove(c.state_file, ec);
  }
  return finish(ClusterUpgradeResult::done, "", "");
}

}  // namespace vipkit::vipctl
