#pragma once
// vipd's one Redis thread. All Redis I/O happens here, each call bounded by
// the configured timeout, so the VRRP loop never waits on Redis:
//  - health: every check interval, observe the local Redis (on a held
//    connection) and the peer, and judge them (health_verdict);
//  - death: the held connection becoming readable means the local Redis
//    closed it (Redis never speaks unasked), so it is re-checked at once and
//    reported dead when it does not answer — kill -9 is seen in
//    milliseconds, not at the next poll;
//  - apply: the VRRP state the main thread asks for (latest wins) through
//    the shared observe/decide/execute (common/apply), then re-applied every
//    reconcile interval, quietly when nothing changes.
// Results go back to the main thread through a queue and an eventfd.
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "common/log.hpp"
#include "common/preference.hpp"
#include "ha/plan.hpp"
#include "redis/connection.hpp"
#include "vrrp/sys/event_loop.hpp"
#include "vrrp/vipd/config.hpp"
#include "common/health_probe.hpp"
#include "ha/health.hpp"

namespace vipkit::vipd {

struct HealthReport {
  std::chrono::steady_clock::time_point started;  // when the check began
  ha::HealthVerdict verdict;
  std::optional<int> preference;  // the prefer file followed a switchover marker to this value
  bool dead = false;  // the held connection closed and the Redis did not answer again
  ha::NodeState local;
  ha::NodeState peer;
};

struct ApplyReport {
  ha::VrrpState state = ha::VrrpState::backup;
  std::uint64_t generation = 0;  // which request of the main thread this answers
  bool local_is_master = false;  // observed after the apply: the VIP may go here
  ha::NodeState local;
  std::optional<int> preference;
  // What the application did to Redis, when it did something new (not
  // "nothing" or "wait", nor a routine re-apply of the same action): the
  // action's token, and "ok" or the failure's reason token. For the metrics.
  std::optional<std::pair<std::string, std::string>> action;
};

using WorkerReport = std::variant<HealthReport, ApplyReport>;

class RedisWorker {
 public:
  // `wakeup` is notified whenever reports are waiting.
  // `preference`: the process's one writer of the prefer file, shared with
  // the main thread.
  RedisWorker(const VipdConfig& config, common::Logger log, vrrp::sys::Wakeup& wakeup,
              common::PreferenceFile& preference);
  ~RedisWorker();  // stops and joins
  RedisWorker(const RedisWorker&) = delete;
  RedisWorker& operator=(const RedisWorker&) = delete;

  vrrp::sys::SysResult<Done> start();

  // Apply this VRRP state now (replacing one not yet started), and keep
  // reconciling it. `priority` is recorded with the transition.
  void apply(ha::VrrpState state, std::uint64_t generation, int priority);

  // Run a health check now (a second master was heard), not at the next interval.
  void check_now();
  // A preference was requested (PreferenceFile::request): write it to the
  // file before the next job, on this thread.
  void flush_preference_soon();

  std::vector<WorkerReport> take_reports();

 private:
  struct Job {
    ha::VrrpState state;
    std::uint64_t generation;
    int priority;
  };
  void run();
  void flush_preference();
  void check(bool after_close);
  void guard_replica();
  void apply_now(const Job& job, bool routine);
  template <typename Step>
  void guarded(const char* step, Step&& body);
  void post(WorkerReport report);

  const VipdConfig& config_;
  common::Logger log_;
  vrrp::sys::Wakeup& wakeup_;
  common::PreferenceFile& preference_;
  std::optional<vrrp::sys::Wakeup> jobs_signal_;

  std::mutex mutex_;  // guards the four below
  std::optional<Job> pending_;
  bool stopping_ = false;
  bool check_requested_ = false;
  std::deque<WorkerReport> reports_;

  // Worker thread only.
  common::HealthProbe probe_{config_.redis};
  std::optional<Job> current_;
  std::optional<ha::Plan> last_plan_;
  bool local_was_reachable_ = true;  // at the previous check
  bool recheck_ = false;             // a check was dropped for a request: check again next
  std::optional<redis::Connection> guard_connection_;  // the replica guard's, to the local Redis
  std::string guard_failure_;                          // the last one logged
  std::thread thread_;
};

}  // namespace vipkit::vipd
