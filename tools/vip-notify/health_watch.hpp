#pragma once
// vip-notify --fifo's resident health checks (issue 9): keepalived users no
// longer fork a vrrp_script per check. For each instance file with
// `track-dir`, a thread holds connections to the local Redis and the peer,
// judges them with the rules of vip-check and vipd (ha/health.hpp) and
// keepalived's rise/fall, and writes two keepalived track_files:
//   DIR/NAME.alive     1 while the local Redis is down, loading or busy
//                      (keepalived.conf: weight 0, so FAULT at once);
//   DIR/NAME.eligible  1 while holding the VIP would lose the peer's writes
//                      (weight -60, like the vrrp_script it replaces).
// Each is written atomically and only when it changes; keepalived reads it
// through inotify at once. A Redis that dies is seen from its held
// connection closing (no waiting for the next check); a hung one by the
// check timeout. The thread beats a heartbeat after every round; the
// supervisor (fifo_supervisor.hpp) raises every file when the beats stop or
// the reader dies, so a dead or stuck watcher never leaves "healthy" behind.
// The checks run on their own thread: a check never delays a FIFO event.
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/instance_config.hpp"
#include "common/log.hpp"
#include "ha/health.hpp"
#include "vip-notify/notify_metrics.hpp"
#include "vrrp/sys/event_loop.hpp"

namespace vipkit::notify {

struct TrackFiles {
  std::string alive;
  std::string eligible;
};
// Pure: DIR/NAME.alive and DIR/NAME.eligible.
TrackFiles track_files(const std::string& dir, const std::string& instance);

// Raise (write 1 to) every track file of these instances: the supervisor's
// fail-safe when the watcher is gone. Errors are logged, not returned.
void raise_track_files(const std::vector<common::InstanceConfig>& instances, const common::Logger& log);

class HealthWatch {
 public:
  // `changed`: wakes the thread when the watched set changes.
  // `heartbeat_fd`: a byte is written after every round (-1: none).
  // `metrics`: each check's verdicts, latency and nodes go there (nullptr: none).
  HealthWatch(common::Logger log, vrrp::sys::Wakeup changed, int heartbeat_fd, MetricsRegistry* metrics);
  ~HealthWatch();
  HealthWatch(const HealthWatch&) = delete;
  HealthWatch& operator=(const HealthWatch&) = delete;

  // Check this instance from now on (its config.track set); the same config
  // again changes nothing, another one starts its checks afresh.
  void watch(const common::InstanceConfig& config);
  void unwatch(const std::string& instance);

 private:
  struct Checked;
  void run();
  void check(Checked& c, bool after_close);
  void beat();

  common::Logger log_;
  int heartbeat_fd_;
  MetricsRegistry* metrics_;
  vrrp::sys::Wakeup changed_;
  std::mutex mutex_;
  bool stopping_ = false;
  std::map<std::string, std::shared_ptr<Checked>> watched_;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace vipkit::notify
