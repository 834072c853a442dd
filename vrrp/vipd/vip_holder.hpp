#pragma once
// The VIPs of one instance on its interface: added (then announced with a
// burst of gratuitous ARPs and an optional refresh, as keepalived's
// garp_master_repeat / garp_master_delay / garp_master_refresh), removed,
// restored when someone removes one by hand while we hold them, and cleared
// at start when a vipd killed with -9 left them behind.
#include <chrono>
#include <string>

#include "common/log.hpp"
#include "vrrp/sys/event_loop.hpp"
#include "vrrp/sys/garp_sender.hpp"
#include "vrrp/sys/vip_address.hpp"
#include "vrrp/vipd/config.hpp"

namespace vipkit::vipd {

class VipHolder {
 public:
  static vrrp::sys::SysResult<VipHolder> open(const VipdConfig& config, common::Logger log);

  // Before the first advert: a VIP on the interface now is stale.
  void remove_stale();
  void add(vrrp::sys::TimePoint now);
  void remove(const std::string& reason);
  // While held: re-add any VIP that went missing (vip-restored) and announce it.
  void watch(vrrp::sys::TimePoint now);
  // The GARP timer fired.
  void on_garp_timer(vrrp::sys::TimePoint now);

  bool held() const { return held_; }
  bool all_present();
  int garp_timer_fd() const { return garp_timer_.fd(); }

 private:
  VipHolder(const VipdConfig& config, common::Logger log, int ifindex, vrrp::sys::VipManager vips,
            vrrp::sys::GarpSender garp, vrrp::sys::Timer timer);
  void announce(const char* why);
  std::string text(const vrrp::sys::VipAddress& vip) const;

  const VipdConfig& config_;
  common::Logger log_;
  int ifindex_;
  vrrp::sys::VipManager vips_;
  vrrp::sys::GarpSender garp_;
  vrrp::sys::Timer garp_timer_;
  bool held_ = false;
  int garp_left_ = 0;  // of the current burst
  std::string restore_error_;  // the last failure to restore a VIP, logged once
};

}  // namespace vipkit::vipd
