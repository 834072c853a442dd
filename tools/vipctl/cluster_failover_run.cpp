#include "vipctl/cluster_failover_run.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>
#include <string>
#include <thread>

#include "common/exit_codes.hpp"
#include "ha/step_recorder.hpp"
#include "redis/commands.hpp"
#include "redis/connection.hpp"
#include "vipctl/cluster_gather.hpp"

namespace vipkit::vipctl {

namespace {

using redis::Clock;

redis::Status send_failover(const ClusterFailoverConfig& c) {
  const auto deadline = Clock::now() + c.exchange_timeout;
  auto connection = redis::Connection::open(c.replica, c.credentials, deadline);
  if (!connection) return connection.error();
  auto reply = connection->command(failover_command(c.mode), deadline);
  if (!reply) return reply.error();
  // "ERR You should send CLUSTER FAILOVER to a replica", "ERR Master is down
  // or failed, please use CLUSTER FAILOVER FORCE", ...: Redis's own words.
  if (reply->type == redis::Reply::Type::error) return redis::error_from_reply(reply->str);
  return redis::Done{};
}

// cluster-node-timeout of the replica, from CONFIG GET; nullopt when it
// cannot be read (an ACL without CONFIG, a renamed command).
std::optional<milliseconds> node_timeout_of(const ClusterFailoverConfig& c) {
  const auto deadline = Clock::now() + c.exchange_timeout;
  auto connection = redis::Connection::open(c.replica, c.credentials, deadline);
  if (!connection) return std::nullopt;
  auto value = redis::config_get(connection.value(), "cluster-node-timeout", deadline);
  if (!value) return std::nullopt;
  try {
    return milliseconds(std::stoll(value.value()));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// The first failing bus-link-down check, if any.
const Check* bus_link_down(const FailoverPreflight& p) {
  const auto it = std::find_if(p.checks.begin(), p.checks.end(), [](const Check& check) {
    return check.status == CheckStatus::fail && check.name == "bus-link-down";
  });
  return it == p.checks.end() ? nullptr : &*it;
}

}  // namespace

std::string_view to_token(ClusterFailoverResult r) {
  switch (r) {
    case ClusterFailoverResult::done: return "done";
    case ClusterFailoverResult::dry_run: return "dry-run";
    case ClusterFailoverResult::refused: return "refused";
    case ClusterFailoverResult::failed: return "failed";
  }
  return "failed";
}

int exit_code(const ClusterFailoverReport& r) {
  switch (r.result) {
    case ClusterFailoverResult::done: return common::exit_ok;
    case ClusterFailoverResult::dry_run: return r.preflight.ok() ? common::exit_ok : common::exit_failed;
    case ClusterFailoverResult::refused:
    case ClusterFailoverResult::failed: return common::exit_failed;
  }
  return common::exit_failed;
}

ClusterFailoverReport run_cluster_failover(const ClusterFailoverConfig& c, const StepSink& on_step) {
  const auto started = Clock::now();
  ClusterFailoverReport report;
  report.mode = c.mode;
  report.replica = c.replica.to_string();
  auto record = [&](const std::string& name, Clock::time_point start, bool ok, std::string detail) {
    report.steps.push_back(ha::Step{name, ok, ha::since(start), std::move(detail)});
    if (on_step) on_step(report.steps.back());
    return ok;
  };
  auto finish = [&](ClusterFailoverResult result, std::string reason) -> ClusterFailoverReport& {
    report.result = result;
    report.reason = std::move(reason);
    report.total = ha::since(started);
    return report;
  };
  const ClusterGatherConfig gather{c.replica, c.credentials, c.exchange_timeout};

  // 1. Preflight: observe, check, change nothing.
  report.preflight = failover_preflight(gather_cluster(gather), c.max_lag);
  if (c.dry_run) return finish(ClusterFailoverResult::dry_run, report.preflight.ok() ? "" : "preflight-failed");

  // 1b. Only bus links down: a node restarted a moment ago, which clusterCron
  //     reconnects within 100s of ms. A failover sent now would stall 5 s
  //     with the master's writes paused (cluster_bus.hpp), so wait for the
  //     links, up to `timeout`; any other failing check refuses at once.
  if (report.preflight.waiting_on_bus()) {
    const auto start = Clock::now();
    while (report.preflight.waiting_on_bus() && Clock::now() < start + c.timeout) {
      std::this_thread::sleep_for(c.poll);
      report.preflight = failover_preflight(gather_cluster(gather), c.max_lag);
    }
    const Check* down = bus_link_down(report.preflight);
    record("bus-links", start, down == nullptr,
           down == nullptr ? "every master serving slots linked with " + report.replica + " both ways"
                           : fmt::format("not within {} ms: {}", c.timeout.count(), down->detail));
  }
  if (!report.preflight.ok() || !report.preflight.plan) {
    return finish(ClusterFailoverResult::refused, "preflight-failed");
  }
  const FailoverPlan& plan = *report.preflight.plan;

  // 2. CLUSTER FAILOVER to the replica. It answers OK at once; the failover
  //    itself runs in the cluster's cron (the coordinated form: the master
  //    pauses its clients, the replica catches up, wins the vote, bumps the
  //    config epoch, which the others learn by gossip).
  auto start = Clock::now();
  const redis::Status sent = send_failover(c);
  const std::string command = fmt::format("{}", fmt::join(failover_command(c.mode), " "));
  if (!record("cluster-failover", start, sent.ok(),
              sent ? fmt::format("{} sent to {}", command, report.replica) : sent.error().message)) {
    return finish(ClusterFailoverResult::failed, "failover-refused");
  }

  // 3. Wait for each stage in turn; one gathering can pass several. The
  //    first, the election, within the manual-failover timeout (plus two
  //    cron periods for Redis to notice it): past it Redis gave up.
  const auto sent_at = Clock::now();
  const auto deadline = sent_at + c.timeout;
  const auto elected_by = sent_at + manual_failover_timeout + milliseconds(200);
  start = Clock::now();
  int stage = 0;  // stages recorded so far
  FailoverProgress progress;
  for (;;) {
    progress = failover_progress(gather_cluster(gather), plan);
    const bool reached[] = {progress.replica_is_master, progress.replica_is_master && progress.views_agree,
                            progress.done()};
    static constexpr const char* names[] = {"replica-is-master", "views-agree", "old-master-linked"};
    const std::string details[] = {
        plan.replica_address + " says myself,master",
        fmt::format("every answering node sees {} as master of {}", plan.replica_address,
                    redis::slots_text(plan.slots)),
        fmt::format("{} is a linked replica of {}", plan.master_address, plan.replica_address)};
    while (stage < 3 && reached[stage]) {
      record(names[stage], start, true, details[stage]);
      start = Clock::now();
      ++stage;
    }
    if (progress.done()) return finish(ClusterFailoverResult::done, "");
    if (stage >= 1 && progress.replica_says_replica) {
      // Seen master, a replica again: a higher config epoch claims the slots
      // and the cluster keeps the old master; waiting changes nothing. Seen
      // with Redis 7.0 when a manual failover follows the previous one of the
      // pair within the election retry time (4 x cluster-node-timeout): the
      // replica "wins" with the earlier election's votes and an epoch that is
      // not the greatest, and reverts at once.
      record("replica-reverted", start, false,
             plan.replica_address + " says myself,slave again: the cluster kept " + plan.master_address);
      report.pending = progress.pending;
      return finish(ClusterFailoverResult::failed, "failover-reverted");
    }
    if (stage == 0 && Clock::now() >= elected_by) {
      const auto node_timeout = node_timeout_of(c);
      // Unreadable: Redis's default, 15000 ms; waiting longer than needed
      // costs time, resending too early costs the clients a second pause.
      const milliseconds retry_after = manual_failover_retry_after(node_timeout.value_or(milliseconds(15000)));
      report.retry_in = std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(
                                                      sent_at + retry_after - Clock::now()));
      record(names[0], start, false,
             fmt::format("not within {} ms: Redis gave the manual failover up; a new one can win {} ms after "
                         "this one (cluster-node-timeout {})",
                         manual_failover_timeout.count(), retry_after.count(),
                         node_timeout ? std::to_string(node_timeout->count()) + " ms"
                                      : "unreadable, 15000 ms assumed"));
      report.pending = progress.pending;
      return finish(ClusterFailoverResult::failed, "failover-not-elected");
    }
    if (Clock::now() >= deadline) {
      record(names[stage], start, false, fmt::format("not within {} ms", c.timeout.count()));
      report.pending = progress.pending;
      return finish(ClusterFailoverResult::failed, "failover-timeout");
    }
    std::this_thread::sleep_for(c.poll);
  }
}

}  // namespace vipkit::vipctl
