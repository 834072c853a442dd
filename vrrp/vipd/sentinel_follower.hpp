#pragma once
// leader = sentinel: vipd's one thread that asks. Each round it asks every
// configured Sentinel (ha::observe_sentinels, each bounded by the Redis
// timeout) and the local Redis its ROLE, decides (ha::decide_sentinel),
// fences or unfences the local Redis, and hands the round to the main
// thread, which moves the VIP. Rounds run every reconcile interval and at
// once when woken (a Sentinel event) or when the local Redis closes the
// connection held to it (Redis never speaks unasked, so a readable socket
// means it died or restarted: kill -9 is seen in milliseconds, not at the
// next round); wakes that arrive during a round make one more round, not
// one each.
//
// The follower remembers what it decided (holding, the epoch) and feeds it
// to the next decision: the main thread executes every round, so the last
// decision is what the host does.
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/log.hpp"
#include "ha/sentinel_decision.hpp"
#include "redis/connection.hpp"
#include "vrrp/sys/event_loop.hpp"
#include "vrrp/vipd/config.hpp"

namespace vipkit::vipd {

struct SentinelRound {
  std::chrono::steady_clock::time_point started;
  std::string trigger;  // "start", "reconcile", or the event that woke it
  std::vector<ha::SentinelReport> reports;  // one per configured Sentinel, in order
  ha::LocalRole local_role = ha::LocalRole::unreachable;
  ha::SentinelDecision decision;
  std::string fence_error;  // the fence or unfence failed: why ("" when it did not, or none was due)
};

class SentinelFollower {
 public:
  // `wakeup` is notified whenever rounds are waiting.
  SentinelFollower(const VipdConfig& config, common::Logger log, vrrp::sys::Wakeup& wakeup);
  ~SentinelFollower();  // stops and joins (after the round under way)
  SentinelFollower(const SentinelFollower&) = delete;
  SentinelFollower& operator=(const SentinelFollower&) = delete;

  // `holding`: the VIPs were all on the interface at start (a vipd killed
  // with -9 left them); the first round decides whether they stay.
  vrrp::sys::SysResult<Done> start(bool holding);
  // Any thread: run a round now.
  void wake(std::string_view why);
  std::vector<SentinelRound> take_rounds();

 private:
  void run();
  // Until the next round is due: "" when stopping, else its trigger.
  std::string wait_until(std::chrono::steady_clock::time_point due);
  SentinelRound round(std::string trigger);
  ha::LocalRole local_role(redis::Deadline deadline);
  std::string fence(ha::FenceAction action);  // "" or the error

  const VipdConfig& config_;
  const SentinelConfig& sentinel_;
  common::Logger log_;
  vrrp::sys::Wakeup& wakeup_;
  std::optional<redis::Connection> local_;  // held between rounds, reopened after a failure

  // Shared with other threads.
  std::mutex mutex_;
  std::optional<vrrp::sys::Wakeup> wake_fd_;  // readable when woken or stopping
  bool stopping_ = false;
  std::optional<std::string> woken_;  // why the next round is due now
  std::deque<SentinelRound> rounds_;
  std::thread thread_;

  // The follower thread's own.
  bool holding_ = false;
  bool fenced_ = false;         // we paused the local Redis and have not lifted it
  bool unpause_checked_ = false;  // first round: lift a pause a killed vipd may have left
  std::uint64_t epoch_ = 0;
};

}  // namespace vipkit::vipd
