#include "common/redis_pair_metrics.hpp"

namespace vipkit::common {

namespace {

PrometheusLabels with_node(const PrometheusLabels& labels, const char* node) {
  PrometheusLabels out = labels;
  out.emplace_back("node", node);
  return out;
}

struct Node {
  const char* name;
  const std::optional<ha::NodeState>& seen;
};

}  // namespace

std::optional<long long> replication_lag(const std::optional<ha::NodeState>& local,
                                         const std::optional<ha::NodeState>& peer) {
  if (!local || !peer || !local->reachable || !peer->reachable) return std::nullopt;
  if (local->is_master() && peer->is_replica()) return local->offset - peer->offset;
  if (peer->is_master() && local->is_replica()) return peer->offset - local->offset;
  return std::nullopt;
}

void redis_pair_families(PrometheusText& out, const std::vector<RedisPairSeen>& pairs) {
  const auto each_node = [&pairs](auto&& body) {
    for (const RedisPairSeen& p : pairs) {
      for (const Node n : {Node{"local", p.local}, Node{"peer", p.peer}}) {
        if (n.seen) body(with_node(p.labels, n.name), *n.seen);
      }
    }
  };
  out.family("vipkit_redis_up", "gauge", "1 when the node answered the last check and is not loading.");
  each_node([&out](const PrometheusLabels& l, const ha::NodeState& s) {
    out.sample("vipkit_redis_up", s.reachable && !s.loading ? 1 : 0, l);
  });
  out.family("vipkit_redis_master_link_up", "gauge", "A replica's link to its master (replicas only).");
  each_node([&out](const PrometheusLabels& l, const ha::NodeState& s) {
    if (s.is_replica()) out.sample("vipkit_redis_master_link_up", s.link_up ? 1 : 0, l);
  });
  out.family("vipkit_redis_master_repl_offset", "gauge", "Replication offset (a replica's: processed).");
  each_node([&out](const PrometheusLabels& l, const ha::NodeState& s) {
    if (s.reachable) out.sample("vipkit_redis_master_repl_offset", s.offset, l);
  });
  out.family("vipkit_replication_lag_bytes", "gauge", "Bytes of the master's stream its replica has yet to process.");
  for (const RedisPairSeen& p : pairs) {
    if (const auto lag = replication_lag(p.local, p.peer)) out.sample("vipkit_replication_lag_bytes", *lag, p.labels);
  }
}

}  // namespace vipkit::common
