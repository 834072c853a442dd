#include "vrrp/vipd/redis_worker.hpp"

#include <poll.h>

#include <algorithm>
#include <utility>

#include "common/apply.hpp"
#include "ha/divergence.hpp"
#include "ha/observe.hpp"
#include "ha/replica_guard.hpp"

namespace vipkit::vipd {

namespace {
using Clock = std::chrono::steady_clock;
}  // namespace

// An exception out of a check or an apply (a state file of the wrong shape,
// an allocation) must not end the thread, which std::terminate()s vipd: it
// is logged, and the next check or reconcile tries again. A check that
// failed so is reported unhealthy: health is never assumed.
template <typename Step>
void RedisWorker::guarded(const char* step, Step&& body) {
  try {
    body();
  } catch (const std::exception& e) {
    log_->error("worker-error instance={} step={} error={}", config_.redis.instance, step,
                common::kv_value(e.what()));
    if (std::string_view(step) != "check") return;
    HealthReport report;
    report.started = Clock::now();
    report.verdict = {false, "check-error", false};
    post(std::move(report));
  }
}

RedisWorker::RedisWorker(const VipdConfig& config, common::Logger log, vrrp::sys::Wakeup& wakeup,
                         common::PreferenceFile& preference)
    : config_(config), log_(std::move(log)), wakeup_(wakeup), preference_(preference) {}

RedisWorker::~RedisWorker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  if (jobs_signal_) jobs_signal_->notify();
  if (thread_.joinable()) thread_.join();
}

vrrp::sys::SysResult<Done> RedisWorker::start() {
  auto signal = vrrp::sys::Wakeup::create();
  if (!signal) return signal.error();
  jobs_signal_.emplace(std::move(signal).value());
  probe_.set_peer_interrupt(jobs_signal_->fd());
  thread_ = std::thread([this] { run(); });
  return Done{};
}

void RedisWorker::apply(ha::VrrpState state, std::uint64_t generation, int priority) {
  {
    std::lock_guard lock(mutex_);
    pending_ = Job{state, generation, priority};
  }
  jobs_signal_->notify();
}

void RedisWorker::check_now() {
  {
    std::lock_guard lock(mutex_);
    check_requested_ = true;
  }
  jobs_signal_->notify();
}

void RedisWorker::flush_preference_soon() { jobs_signal_->notify(); }

void RedisWorker::flush_preference() {
  auto flushed = preference_.flush();
  if (!flushed) {
    log_->warn("prefer-file instance={} error={}", config_.redis.instance, common::kv_value(flushed.error().message));
  } else if (flushed.value()) {
    log_->debug("prefer-file instance={} written={}", config_.redis.instance, flushed.value()->to);
  }
}

std::vector<WorkerReport> RedisWorker::take_reports() {
  std::lock_guard lock(mutex_);
  std::vector<WorkerReport> out(std::make_move_iterator(reports_.begin()), std::make_move_iterator(reports_.end()));
  reports_.clear();
  return out;
}

void RedisWorker::post(WorkerReport report) {
  {
    std::lock_guard lock(mutex_);
    reports_.push_back(std::move(report));
  }
  wakeup_.notify();
}

void RedisWorker::check(bool after_close) {
  HealthReport report;
  report.started = Clock::now();
  report.local = probe_.observe_local();
  const bool back = report.local.reachable && !local_was_reachable_;
  local_was_reachable_ = report.local.reachable;
  // A Redis that is back (restarted, perhaps empty) gets the current state
  // applied now rather than at the next reconcile: in FAULT that is the
  // re-point that lets it resync and become healthy.
  if (back && current_) apply_now(*current_, true);
  if (!report.local.reachable) {
    // Dead or unusable: the verdict does not depend on the peer, and a slow
    // peer must not delay the news.
    report.verdict = ha::health_verdict(report.local, report.peer, std::nullopt);
    report.dead = after_close;
    post(std::move(report));
    return;
  }
  const common::Observation seen = probe_.observe_pair(report.local);
  if (seen.peer.error && seen.peer.error->code == redis::ErrorCode::interrupted) {
    // A request came while the peer's connect hung (a cut-off peer): that
    // check's answer would be stale, so it is dropped and the loop takes the
    // request, then checks again at once, with no interruption this time so
    // that a stream of requests cannot starve the checks.
    probe_.set_peer_interrupt(-1);
    recheck_ = true;
    return;
  }
  probe_.set_peer_interrupt(jobs_signal_->fd());
  report.peer = seen.peer;
  const bool holds_vip = current_ && current_->state == ha::VrrpState::master;
  report.verdict = ha::health_verdict(report.local, report.peer, holds_vip, seen.divergence);
  report.preference = common::follow_switchover(config_.redis, preference_, seen, log_);
  post(std::move(report));
  guard_replica();
}

// The replica guard (ha/replica_guard.hpp), at every check: hold a replica
// whose link went down before Redis's own reconnect can full-sync it from a
// master that came back without its data.
void RedisWorker::guard_replica() {
  const auto& c = config_.redis;
  if (c.hold_watch.count() == 0 || !c.connections.peer) return;
  const auto r = ha::guard_round(c.connections.local, guard_connection_, *c.connections.peer, c.connections.timeout);
  if (!r || r->decision.action == ha::GuardAction::none) return;
  if (!r->applied) {
    // Once per distinct error: a denied CONFIG SET would fail every check.
    if (r->error != guard_failure_) {
      log_->warn("replica-{}-failed reason={} error={}", ha::to_token(r->decision.action), r->decision.reason,
                 common::kv_value(r->error));
    }
    guard_failure_ = r->error;
    return;
  }
  guard_failure_.clear();
  if (r->decision.reason == "arm") return log_->debug("replica-hold reason=arm");
  log_->info("replica-{} reason={}", ha::to_token(r->decision.action), r->decision.reason);
}

void RedisWorker::apply_now(const Job& job, bool routine) {
  const auto& c = config_.redis;
  common::ApplyRequest request;
  request.state = job.state;
  request.source = routine ? "reconcile" : "vipd";
  request.priority = job.priority;
  request.routine = routine;
  request.previous = last_plan_;
  request.preference = &preference_;
  // Serialised with vip-notify/vipctl acting on the same instance.
  const common::ApplyResult applied = common::apply_once(c, request, log_);
  if (applied.lock_failed) return;
  last_plan_ = applied.applied.plan;

  ApplyReport report;
  report.action = common::counted_action(request, applied);
  report.preference = applied.preference;
  report.state = job.state;
  report.generation = job.generation;
  report.local = probe_.observe_local();
  report.local_is_master = report.local.is_master();
  post(std::move(report));
}

void RedisWorker::run() {
  auto next_check = Clock::now();
  auto next_reconcile = Clock::time_point::max();
  for (;;) {
    std::optional<Job> job;
    bool check_requested = false;
    bool stopping = false;
    // Cleared before the requests are read: one made after this read leaves
    // the fd readable again (it also interrupts a peer connect in a check).
    jobs_signal_->drain();
    {
      std::lock_guard lock(mutex_);
      stopping = stopping_;
      job.swap(pending_);
      std::swap(check_requested, check_requested_);
    }
    // A check dropped for a request runs again after that request's job.
    const bool recheck = std::exchange(recheck_, false);
    if (recheck && job) recheck_ = true;
    check_requested = check_requested || (recheck && !job);
    if (stopping) {
      // A promote/demote just before the stop still reaches the file.
      guarded("prefer-file", [&] { flush_preference(); });
      return;
    }
    if (check_requested) {
      guarded("check", [&] { check(false); });
      next_check = Clock::now() + config_.check_interval;
      if (!job) continue;
    }
    if (job) {
      current_ = job;
      guarded("apply", [&] { apply_now(*job, false); });
      next_reconcile = Clock::now() + config_.reconcile;
      continue;  // a newer request may have come meanwhile
    }
    const auto now = Clock::now();
    if (now >= next_check) {
      guarded("check", [&] { check(false); });
      next_check = std::max(next_check + config_.check_interval, Clock::now());
      continue;
    }
    if (now >= next_reconcile && current_) {
      guarded("reconcile", [&] { apply_now(*current_, true); });
      next_reconcile = Clock::now() + config_.reconcile;
      continue;
    }
    // Idle: the prefer file gets a requested value now, after the jobs — a
    // takeover's apply must not wait for an fsync (on the loaded VM one took
    // 268 ms, and the VIP with it).
    guarded("prefer-file", [&] { flush_preference(); });
    const auto wake = std::min(next_check, next_reconcile);
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(wake - now);
    pollfd fds[2] = {{jobs_signal_->fd(), POLLIN, 0}, {probe_.local_fd(), POLLIN, 0}};
    const int ready = ::poll(fds, 2, static_cast<int>(std::clamp<long long>(wait.count(), 0, 60000)));
    if (ready <= 0) continue;
    if (fds[0].revents != 0) jobs_signal_->drain();
    if (fds[1].revents != 0) {
      // Readable or hung up: the server closed our connection.
      probe_.drop_local();
      guarded("check", [&] { check(true); });
      next_check = Clock::now() + config_.check_interval;
    }
  }
}

}  // namespace vipkit::vipd
