#include "vrrp/vipd/second_master.hpp"

namespace vipkit::vipd {

bool hold_against_second_master(const SecondMaster& heard, std::chrono::steady_clock::time_point now,
                                std::chrono::milliseconds bound) {
  if (now >= heard.since + bound) return false;
  return !heard.verdict_seen || heard.keep;
}

bool keeps_role_against_second_master(bool healthy, std::string_view reason, const ha::NodeState& local,
                                      const ha::NodeState& peer) {
  if (!healthy || !local.is_master()) return false;  // nothing of ours to keep: the VRRP rule is right
  return reason == "diverged-local-ahead" || reason == "diverged-local-larger" || reason == "peer-no-data-past-fork" ||
         reason == "shared-history-local-longer" || peer.is_replica();
}

bool resigns_to_second_master(bool keep, const ha::NodeState& local, const ha::NodeState& peer) {
  return !keep && local.reachable && local.is_replica() && peer.reachable && peer.is_master();
}

}  // namespace vipkit::vipd
