#include "ha/health.hpp"

#include "ha/eligibility.hpp"

namespace vipkit::ha {

HealthVerdict alive_verdict(const ha::NodeState& local) {
  if (!local.reachable) {
    return {false, local.error ? std::string(redis::to_token(local.error->code)) : "unreachable", false};
  }
  if (local.loading) return {false, "loading", false};
  return {true, "alive", false};
}

HealthVerdict health_verdict(const ha::NodeState& local, const ha::NodeState& peer, std::optional<bool> vip_local,
                             const std::optional<ha::Divergence>& divergence) {
  if (HealthVerdict alive = alive_verdict(local); !alive.healthy) return alive;
  ha::Eligibility e = ha::decide_eligibility(local, peer, vip_local, divergence);
  return {e.eligible, std::move(e.reason), e.decisive};
}

bool HealthTracker::flip(const std::string& reason) {
  healthy_ = !healthy_;
  streak_ = 0;
  reason_ = reason;
  return true;
}

bool HealthTracker::record(const HealthVerdict& verdict) {
  if (verdict.healthy == healthy_) {
    streak_ = 0;
    reason_ = verdict.reason;
    return false;
  }
  if (verdict.decisive) return flip(verdict.reason);
  if (++streak_ < (healthy_ ? fall_ : rise_)) return false;
  return flip(verdict.reason);
}

bool HealthTracker::dead(const std::string& reason) {
  if (!healthy_) {
    streak_ = 0;
    reason_ = reason;
    return false;
  }
  return flip(reason);
}

}  // namespace vipkit::ha
