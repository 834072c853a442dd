#include "vip-notify/speaker_end.hpp"

namespace vipkit::notify {

bool speaker_died(const FifoEnd& end) { return end.fifo_closed && end.starter_gone; }

std::vector<Release> plan_release(const FifoEnd& end, const std::vector<InstanceAtEnd>& instances) {
  std::vector<Release> rows;
  if (!speaker_died(end)) return rows;
  for (const InstanceAtEnd& i : instances) {
    if (i.last_state == ha::VrrpState::stop) {
      rows.push_back({i.name, false, false, false, "stopped"});
    } else if (i.vip_local == true) {
      rows.push_back({i.name, true, i.can_resign, true, "speaker-died"});
    } else {
      rows.push_back({i.name, false, false, true, i.vip_local ? "vip-not-local" : "vip-unknown"});
    }
  }
  return rows;
}

}  // namespace vipkit::notify
