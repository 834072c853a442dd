#pragma once
// When vip-notify --fifo ends, was it because keepalived died? And if so,
// what to do about each instance's VIP. Pure: the FIFO loop observes, this
// decides, the loop executes (tests/unit/test_notify_speaker_end.cpp).
//
// What keepalived 2.2 does to the FIFO and to its reader (keepalived/vrrp/
// vrrp_daemon.c, vrrp_notify.c, core/notify.c):
//   stop (SIGTERM):  SIGTERM to every script (the reader included), releases
//                    the VIPs, writes `INSTANCE "NAME" STOP 0` per instance,
//                    closes the FIFO about 1 s later.
//   reload (SIGHUP): SIGTERM to the reader, closes the FIFO (no STOP line),
//                    keeps the VIPs, starts a new reader on a new FIFO.
//   kill -9 of its VRRP process: the kernel closes the FIFO (no STOP line),
//                    the VIPs stay, and the reader gets SIGTERM
//                    (PR_SET_PDEATHSIG) after being re-parented.
// Only the last leaves the process that started the reader gone, so "the
// speaker died" is: FIFO closed and our starter gone. A signal alone proves
// nothing (keepalived sends SIGTERM in all three cases).
#include <optional>
#include <string>
#include <vector>

#include "ha/plan.hpp"

namespace vipkit::notify {

struct FifoEnd {
  bool fifo_closed = false;   // every writer has closed the FIFO (EOF)
  bool starter_gone = false;  // the process that started us has exited (starter_watch.hpp)
};

bool speaker_died(const FifoEnd& end);

// An instance as the reader last saw it.
struct InstanceAtEnd {
  std::string name;
  // STOP/DELETED lines map to stop; nullopt: no event since this reader
  // started (after a reload keepalived repeats no unchanged state).
  std::optional<ha::VrrpState> last_state;
  std::optional<bool> vip_local;  // nullopt: no `vip` configured, or it could not be looked up
  bool can_resign = false;        // the instance file copies keepalived's vrrp_instance (vrrp-vrid)
};

struct Release {
  std::string instance;
  bool remove_vip = false;  // take the VIP off the local interfaces
  bool resign = false;      // then send keepalived's priority-0 advert: the peer takes over at once
  bool apply_stop = false;  // then apply STOP: with `fence`, a master without the VIP is paused
  std::string reason;       // speaker-died | vip-not-local | vip-unknown | stopped
};

// One row per instance when the speaker died (none when it did not): an
// instance keepalived stopped cleanly is left alone (keepalived released its
// VIP itself); every other one loses a VIP still on a local interface and
// gets STOP applied. A VIP removed here was the master's: its priority-0
// advert follows when the file says how to send it (resign.hpp); a backup's
// speaker sends none, as keepalived's backup would not.
std::vector<Release> plan_release(const FifoEnd& end, const std::vector<InstanceAtEnd>& instances);

}  // namespace vipkit::notify
