#pragma once
// Which node should hold the master role when both are healthy: one small
// integer per host, in a file that keepalived reads as a `track_file`
// (value × weight is added to the instance priority) and that vipd adds to
// its own priority the same way. It is what makes a planned switchover stick
// under preemption: without it the node with the higher configured priority
// would take the role straight back.
//
// vipctl writes the decisive values on its own host (promote: 2, demote: -1).
// It cannot write the other host's file, so the automation on every host
// (vip-notify, vipd) moves its own file when it sees the switchover marker in
// Redis (ha/switchover.hpp): towards 1 when the marker names this node, towards
// 0 when it names the peer — never undoing the stronger value vipctl wrote
// here. docs/switchover.md has the arithmetic.
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "base/io_error.hpp"
#include "ha/switchover.hpp"
#include "redis/endpoint.hpp"

namespace vipkit::common {

inline constexpr int preference_demoted = -1;   // vipctl demote ran here: lose the election now
inline constexpr int preference_neutral = 0;    // the marker named the peer
inline constexpr int preference_preferred = 1;  // the marker named this node
inline constexpr int preference_promoted = 2;   // vipctl promote ran here: win the election now

// /var/lib/vipkit/NAME.prefer: persistent, so a preference survives a reboot.
std::string default_preference_path(const std::string& instance);

// Pure. The value after seeing `marker`. `self` is how the peer reaches this
// node (when configured); without it, a marker that does not name the peer
// is taken to name this node (a pair has two nodes).
int preference_after(int current, const ha::SwitchoverMarker& marker,
                     const std::optional<redis::Endpoint>& self, const redis::Endpoint& peer);

// A missing file reads as 0. Anything but one integer in -1..2 is an error
// (EINVAL) naming the file and what it holds. No lock: writers replace the file by
// rename, so a reader sees the old or the new value, never half.
IoResult<int> read_preference(const std::string& path);

// Three writers share this file: vipctl (promote/demote/rollback), and on
// each host the automation following a marker (vip-notify, or vipd's Redis
// thread) beside vipd's control socket. Every write is a read-modify-write
// under flock(2) on PATH.lock (the file itself is replaced by rename, so it
// cannot carry the lock), so no writer computes its value from a read that
// another writer has since overwritten — which is how a marker-follower
// would turn vipctl's fresh 2 back into 1.
inline constexpr std::chrono::milliseconds preference_lock_wait{2000};
std::string preference_lock_path(const std::string& path);

struct PreferenceChange {
  int from = 0;
  int to = 0;
};
// Under the lock: read (missing: 0), next = `next(current)`, write it when
// it differs (atomically, mode 0644: keepalived and operators read it).
IoResult<PreferenceChange> update_preference(const std::string& path, const std::function<int(int)>& next);
// A write's result as "changed to …" or nullopt when the value stayed.
IoResult<std::optional<PreferenceChange>> if_changed(IoResult<PreferenceChange> change);
// update_preference to a fixed value.
IoResult<PreferenceChange> write_preference(const std::string& path, int value);
// What the automation does on seeing a marker: update_preference with
// preference_after (nullopt: the value did not change).
IoResult<std::optional<PreferenceChange>> follow_marker(const std::string& path, const ha::SwitchoverMarker& marker,
                                                        const std::optional<redis::Endpoint>& self,
                                                        const redis::Endpoint& peer);

// The one writer of a preference file inside a process with several
// threads (vipd: the control socket's promote/demote on the main thread, the
// marker-follower on the Redis thread). Besides the file lock it keeps the
// value this process last read or wrote, in file order, so a thread adopting
// "the preference changed" adopts the latest value, not the one a slower
// report carried.
//
// request() is for a thread that must not wait on the file (vipd's event
// loop): the value counts at once (last()), and the file gets it at the
// next flush() — or first thing in read(), write() and follow_marker(), so a
// marker-follower computes from it. A demote once waited 720 ms on the
// event loop for the lock while the marker-follower's fsync ran, sent no
// advert meanwhile, and the peer took the role by master-down.
//
// With Writes::deferred (vipd) every change is a request(): the Redis
// thread's own marker-follower must not wait on an fsync either, or the
// health report that carries its verdict (a takeover on a resign waits for
// it) is late by as much (a demote's client gap of 116 ms). Values are then
// computed from last(): vipd is the only writer of its file (vipctl asks it
// over the control socket), and the flush still takes the file lock.
class PreferenceFile {
 public:
  enum class Writes { now, deferred };
  explicit PreferenceFile(std::string path, Writes writes = Writes::now) : path_(std::move(path)), writes_(writes) {}
  const std::string& path() const { return path_; }
  int last() const;  // a requested value not yet written included
  IoResult<int> read();
  IoResult<PreferenceChange> write(int value);
  IoResult<std::optional<PreferenceChange>> follow_marker(const ha::SwitchoverMarker& marker,
                                                          const std::optional<redis::Endpoint>& self,
                                                          const redis::Endpoint& peer);
  void request(int value);
  // Writes the requested value, if any (nullopt: none, or the file held it).
  IoResult<std::optional<PreferenceChange>> flush();

 private:
  IoResult<std::optional<PreferenceChange>> flush_locked();  // file_mutex_ held
  void settle(int value);                                     // last_ = value

  std::optional<int> pending() const;

  const std::string path_;
  const Writes writes_;
  std::mutex file_mutex_;            // orders this process's file I/O
  mutable std::mutex value_mutex_;   // last_ and pending_: never held across I/O
  int last_ = preference_neutral;
  std::optional<int> pending_;       // requested, not written yet
};

}  // namespace vipkit::common
