#pragma once
// vip-check --expect eligible: is this node fit to hold the VIP now, i.e.
// would taking the VIP here lose writes the peer holds? Decision table in
// eligibility.cpp and docs/decisions.md.
#include <optional>
#include <string>

#include "ha/divergence.hpp"
#include "ha/node_state.hpp"

namespace vipkit::ha {

struct Eligibility {
  bool eligible = false;
  std::string reason;  // stable token: "peer-unreachable", "replica-linked", "empty-master-peer-master", ...
  // Measured in the data, not a passing state: this master is behind a
  // forked peer's history. It stays true until one side follows the other,
  // so a speaker may act on it at once instead of counting `fall` checks.
  bool decisive = false;
};

// `local` must be alive (the caller checks alive first). `vip_local` is
// whether the VIP is on a local interface now (nullopt: unknown, no --vip).
// `divergence`: both are masters of a forked history, replayed past the
// fork (nullopt when not probed or not applicable).
Eligibility decide_eligibility(const NodeState& local, const NodeState& peer, std::optional<bool> vip_local,
                               const std::optional<Divergence>& divergence = std::nullopt);

}  // namespace vipkit::ha
