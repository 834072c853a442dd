#pragma once
// Health of the local Redis as vipd and vip-notify's resident checks see it: the rule of
// `vip-check --expect eligible` (alive, not loading, and fit to hold the VIP
// without losing the peer's writes), with keepalived's rise/fall counting —
// except that a dead Redis (its held connection closed) is unhealthy at once.
// Pure: verdicts in, flips out.
#include <optional>
#include <string>

#include "ha/divergence.hpp"
#include "ha/node_state.hpp"

namespace vipkit::ha {

struct HealthVerdict {
  bool healthy = false;
  std::string reason;  // an error token ("unreachable", "loading", ...) or an eligibility reason
  // Two masters, and the data past the fork says this one is behind: no
  // `fall` count, the role must go to the side that holds the writes now.
  bool decisive = false;
};

// The alive rule (vip-check --expect alive): answering, not loading.
HealthVerdict alive_verdict(const ha::NodeState& local);

// Alive, and eligible (vip-check --expect eligible).
// `vip_local`: whether this node holds the VIP now (vipd knows; a diverged
// master keeps the VIP where it is, see docs/decisions.md).
// `divergence`: both masters of a forked history, replayed past the fork.
HealthVerdict health_verdict(const ha::NodeState& local, const ha::NodeState& peer, std::optional<bool> vip_local,
                             const std::optional<ha::Divergence>& divergence = std::nullopt);

class HealthTracker {
 public:
  // Starts unhealthy ("starting"): a node must prove itself `rise` times
  // before it may take part in an election (keepalived's init_fail).
  HealthTracker(int rise, int fall) : rise_(rise), fall_(fall) {}

  // One check's verdict. True when the overall health flipped.
  bool record(const HealthVerdict& verdict);
  // The local Redis died (its connection closed): unhealthy now. True when
  // that is a flip.
  bool dead(const std::string& reason);

  bool healthy() const { return healthy_; }
  const std::string& reason() const { return reason_; }

 private:
  bool flip(const std::string& reason);

  int rise_;
  int fall_;
  bool healthy_ = false;
  int streak_ = 0;  // consecutive verdicts that disagree with healthy_
  std::string reason_ = "starting";
};

}  // namespace vipkit::ha
