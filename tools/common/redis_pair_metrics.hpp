#pragma once
// The Redis pair's metric families, one copy for vipd's /metrics and
// vip-notify --fifo's: redis_exporter's names under vipkit_ (redis_up,
// redis_master_link_up, redis_master_repl_offset), a `node` label (local,
// peer), and what no exporter has: the replication lag between the two.
// Pure (tests/unit/test_vipd_metrics_text.cpp, test_notify_metrics.cpp).
#include <optional>
#include <vector>

#include "common/prometheus_text.hpp"
#include "ha/node_state.hpp"

namespace vipkit::common {

struct RedisPairSeen {
  PrometheusLabels labels;  // before `node`: vip-notify's instance; none for vipd (its common labels)
  std::optional<ha::NodeState> local;  // nullopt: not observed yet
  std::optional<ha::NodeState> peer;
};

// Bytes the replica has yet to process of its master's stream, when one of
// the pair is the other's replica right now.
std::optional<long long> replication_lag(const std::optional<ha::NodeState>& local,
                                         const std::optional<ha::NodeState>& peer);

// The four families with every pair's samples.
void redis_pair_families(PrometheusText& out, const std::vector<RedisPairSeen>& pairs);

}  // namespace vipkit::common
