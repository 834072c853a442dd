#pragma once
// vip-notify --fifo: while keepalived says an instance is MASTER, ask the
// peer's Redis its role every `peer-watch-ms`, and wake the FIFO loop when the
// peer turns master. That is a healed partition (or a peer promoted behind
// our back): two masters, and the data past their fork must decide at once
// (ha/plan.hpp: the side behind yields the VIP), not at the next reconcile
// pass. keepalived itself cannot tell: the side with the lower priority goes
// BACKUP without a word to the other.
//
// The probes run on a thread of their own, so a partitioned peer's connect
// timeout never delays an event; the thread only observes, the loop acts.
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "ha/procedures.hpp"
#include "vrrp/sys/event_loop.hpp"

namespace vipkit::notify {

// Pure: did the peer turn master between two probes? The first probe after
// watching starts is never an edge: the MASTER event's own handler has just
// looked at the peer.
class MasterEdge {
 public:
  bool observe(bool master_now) {
    const bool turned = last_.has_value() && !*last_ && master_now;
    last_ = master_now;
    return turned;
  }

 private:
  std::optional<bool> last_;
};

class PeerWatch {
 public:
  explicit PeerWatch(vrrp::sys::Wakeup wakeup);
  ~PeerWatch();
  PeerWatch(const PeerWatch&) = delete;
  PeerWatch& operator=(const PeerWatch&) = delete;

  // Probe `peer` every `interval` (each probe bounded by `timeout`) until
  // unwatch(); a second call for the instance replaces the first.
  void watch(const std::string& instance, const ha::Target& peer, std::chrono::milliseconds interval,
             std::chrono::milliseconds timeout);
  void unwatch(const std::string& instance);

  // Readable when an instance's peer turned master; take_turned() says which.
  int fd() const { return wakeup_.fd(); }
  std::vector<std::string> take_turned();

 private:
  struct Watched;
  void run();

  vrrp::sys::Wakeup wakeup_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  std::map<std::string, std::shared_ptr<Watched>> watched_;
  std::vector<std::string> turned_;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace vipkit::notify
