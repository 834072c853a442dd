#pragma once
// The VIPs of one instance on its interface: added (then announced with a
// burst of gratuitous ARPs and an optional refresh, as keepalived's
// garp_master_repeat / garp_master_delay / garp_master_refresh), removed,
// restored when someone removes one by hand while we hold them, and cleared
// at start when a vipd killed with -9 left them behind.
//
// A removal is seen as it happens: the kernel's address notifications
// (RTNLGRP_IPV4_IFADDR) arrive on address_fd(), polled by the event loop;
// the table is read again (one dump) only when notifications were lost
// (ENOBUFS) or undecodable, and while a restore keeps failing.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/log.hpp"
#include "vrrp/sys/address_monitor.hpp"
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
  // leader = sentinel: a vipd killed with -9 left the VIPs on, and the
  // Sentinels still name this host: keep them (no removal, so no flap),
  // put back any that went missing, and announce them again.
  void adopt(vrrp::sys::TimePoint now);
  void remove(const std::string& reason);
  // address_fd() is readable: while held, a VIP removed by someone else is
  // put back at once (vip-restored) and announced.
  void on_address_events(vrrp::sys::TimePoint now);
  // An advert tick: retries a restore that failed (a dump, only then).
  void retry_restore(vrrp::sys::TimePoint now);
  // Another master, of lower priority, announces the VIPs too: its
  // gratuitous ARPs pointed the neighbours at it. While held, start a new
  // burst (the first GARP now), as keepalived does on a lower-priority
  // advert (garp_lower_prio_repeat): else clients keep sending to a host that
  // drops the VIP as soon as it hears us, until their ARP entries age out
  // (15-45 s on Linux; the chaos soak saw 22 s without a write).
  void reclaim(vrrp::sys::TimePoint now);
  // Stop announcing (burst and refresh) while the VIPs stay on: a
  // resigned master keeps them for the handover's overlap, and a GARP of
  // its sent then points the neighbours back at it just before it lets go —
  // one did, 94 ms after the new master's, and the client then waited ~1 s
  // (its ARP cache ignores a second update within locktime).
  void quiet();
  // The GARP timer fired.
  void on_garp_timer(vrrp::sys::TimePoint now);

  bool held() const { return held_; }
  std::uint64_t garps_sent() const { return garps_sent_; }  // one per VIP announced
  bool all_present();
  int garp_timer_fd() const { return garp_timer_.fd(); }
  int address_fd() const { return monitor_.fd(); }

 private:
  VipHolder(const VipdConfig& config, common::Logger log, int ifindex, vrrp::sys::VipManager vips,
            vrrp::sys::AddressMonitor monitor, vrrp::sys::GarpSender garp, vrrp::sys::Timer timer);
  // Re-add the VIPs marked missing; those re-added now are announced.
  void restore(const std::vector<bool>& missing, const char* reason, vrrp::sys::TimePoint now);
  // One dump: the VIPs not on the interface now; restore them.
  void resync(const char* reason, vrrp::sys::TimePoint now);
  // A burst of config.garp_repeat GARPs, the first now.
  void start_burst(const char* reason, vrrp::sys::TimePoint now);
  void announce(const char* why);
  void announce(const char* why, spdlog::level::level_enum level);
  std::string text(const vrrp::sys::VipAddress& vip) const;

  const VipdConfig& config_;
  common::Logger log_;
  int ifindex_;
  vrrp::sys::VipManager vips_;
  vrrp::sys::AddressMonitor monitor_;
  std::vector<std::uint32_t> vips_be_;  // the configured VIPs' addresses, in order
  vrrp::sys::GarpSender garp_;
  vrrp::sys::Timer garp_timer_;
  bool held_ = false;
  int garp_left_ = 0;  // of the current burst
  const char* burst_reason_ = "master";  // why the current burst: logged with each GARP
  std::uint64_t garps_sent_ = 0;
  std::string restore_error_;  // the last failure to restore a VIP, logged once
  bool restore_failed_ = false;  // retried at each advert until it succeeds
};

}  // namespace vipkit::vipd
