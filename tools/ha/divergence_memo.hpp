#pragma once
// vipd checks its Redis every health interval (100 ms in the examples).
// While two masters of one forked history meet, each check would replay
// both backlogs past the fork (ha/divergence_probe.hpp: a PSYNC on each
// side, up to 1 MiB read from each): ten replays a second for an answer that
// moves only as fast as the two sides take writes — and the side that is
// behind is fenced. So one replay serves the checks of the next `max_age`
// while both replication ids are unchanged; a promotion or a re-point on
// either side (new ids) replays at once. Applying a state (common::apply_once)
// always replays afresh. Pure: the time is passed in.
#include <chrono>
#include <optional>
#include <string>

#include "ha/divergence.hpp"
#include "ha/node_state.hpp"

namespace vipkit::ha {

struct DivergenceReplay {
  std::optional<ha::Divergence> divergence;
  std::string error;  // why it could not be replayed (common::Observation::divergence_error)
};

class DivergenceMemo {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  explicit DivergenceMemo(std::chrono::milliseconds max_age) : max_age_(max_age) {}

  // The remembered replay of these two nodes, when it is young enough.
  std::optional<DivergenceReplay> recall(const ha::NodeState& local, const ha::NodeState& peer,
                                         TimePoint now) const {
    if (!last_ || local.replid != local_replid_ || peer.replid != peer_replid_) return std::nullopt;
    if (now - at_ >= max_age_ || now < at_) return std::nullopt;
    return last_;
  }

  void remember(const ha::NodeState& local, const ha::NodeState& peer, TimePoint now, DivergenceReplay replay) {
    local_replid_ = local.replid;
    peer_replid_ = peer.replid;
    at_ = now;
    last_ = std::move(replay);
  }

 private:
  std::chrono::milliseconds max_age_;
  std::string local_replid_;
  std::string peer_replid_;
  TimePoint at_{};
  std::optional<DivergenceReplay> last_;
};

}  // namespace vipkit::ha
