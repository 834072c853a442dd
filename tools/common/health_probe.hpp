#pragma once
// One health check of an instance through held connections, shared by
// vipd's Redis worker and vip-notify's resident checks (health_watch.hpp):
// the local Redis, the peer and, when the two are masters of one forked
// history, the data each took past the fork (replayed at most once a second
// while both replication ids stay the same: ha/divergence_memo.hpp).
// A held local connection lets the caller see a dead Redis at once: Redis
// never speaks unasked, so local_fd() turning readable means it closed.
#include <optional>

#include "common/apply.hpp"
#include "common/instance_config.hpp"
#include "ha/divergence_memo.hpp"
#include "redis/connection.hpp"

namespace vipkit::common {

class HealthProbe {
 public:
  explicit HealthProbe(const InstanceConfig& config) : config_(config) {}

  // The local Redis, within the configured timeout; a failure drops the
  // connection, and the next call reconnects.
  ha::NodeState observe_local();
  // The peer (when configured) and, for two forked masters, the divergence:
  // everything a verdict needs besides the local node. vip_local is left
  // for the caller (vipd knows; vip-notify looks).
  Observation observe_pair(ha::NodeState local);

  // Connecting to the peer gives up (peer unreachable with
  // ErrorCode::interrupted) once `fd` is readable: vipd's job eventfd, so a
  // request never waits behind a connect to a cut-off peer
  // (redis/interruptible_connect.hpp). -1: not interruptible.
  void set_peer_interrupt(int fd) { peer_interrupt_fd_ = fd; }

  // -1 while no local connection is held.
  int local_fd() const { return local_ ? local_->fd() : -1; }
  void drop_local() { local_.reset(); }

 private:
  const InstanceConfig& config_;
  std::optional<redis::Connection> local_;
  std::optional<redis::Connection> peer_;
  int peer_interrupt_fd_ = -1;
  ha::DivergenceMemo divergence_memo_{std::chrono::seconds(1)};
};

}  // namespace vipkit::common
