#pragma once
// leader = sentinel: what vipd says of itself (pure). The control socket's
// status answer and the log line of a round that changed something are
// built here from the last round and what the main thread holds.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/latency_histogram.hpp"
#include "vrrp/vipd/config.hpp"
#include "vrrp/vipd/sentinel_follower.hpp"

namespace vipkit::vipd {

std::string_view to_token(ha::LocalRole role);  // "master" | "replica" | "unreachable"
// "unreachable", "error: …", "unknown-master", "10.0.0.1:6379 epoch=3 [failover-in-progress]"
std::string describe(const ha::SentinelReport& report);

// The answer to {"cmd":"status"} in this mode. "state" is "master" while
// this host holds the VIPs and "backup" otherwise, as vipctl reads it for a
// VRRP vipd; "leader":"sentinel" and "sentinel" carry the Sentinel view
// (null before the first round).
nlohmann::json sentinel_status(const VipdConfig& config, const std::optional<SentinelRound>& last, bool holding,
                               bool vip_present, double last_change_unix);

// What the driver counts in this mode, for the metrics.
struct SentinelCounters {
  std::map<std::string, std::uint64_t> rounds;  // by trigger: reconcile, start, subscribed, or the event
  common::LatencyHistogram round_duration;      // from the round's start to its execution
  std::uint64_t vip_added = 0;
  std::uint64_t vip_removed = 0;
  std::uint64_t garps_sent = 0;
  std::uint64_t fence_failures = 0;
};

// The /metrics page in this mode (docs/metrics.md, "leader = sentinel").
std::string sentinel_metrics_text(const VipdConfig& config, const std::optional<SentinelRound>& last, bool holding,
                                  bool vip_present, double last_change_unix, const SentinelCounters& counters);

// Whether a round is news for the log at info: the decision (VIP, fence,
// reason, elected master, epoch) differs from the previous one, or a
// fence failed. Otherwise the round is logged at debug.
bool round_is_news(const SentinelRound& round, const std::optional<SentinelRound>& previous);

}  // namespace vipkit::vipd
