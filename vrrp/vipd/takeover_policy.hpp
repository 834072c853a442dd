#pragma once
// How a vipd takes the master role over from a live master without leaving
// the VIP to nobody in between (issue 8: every switchover order under 50 ms
// of client gap). Pure, so each rule is a row of
// tests/unit/test_vipd_takeover_policy.cpp; the driver (instance.cpp) keeps
// the state and acts.
//
// - Announce only what is on. A master sends its adverts once its VIPs are
//   on the interface. Its first advert is what makes the old master yield
//   and drop the VIPs; sent at the takeover, before the Redis worker has
//   applied the master state and the VIPs are added (a few ms), it left the
//   VIP with nobody, and a client packet sent then waited out its own
//   timeout: up to 274 ms in the alternate-order switchovers. Muted, the old
//   master goes on answering for the VIP (READONLY once its Redis is a
//   replica, so the client retries at once) until ours are up, then one
//   advert hands over. A muted master whose Redis cannot be made master
//   never takes the VIP from a live old master at all, which is the point of
//   "VIP only over a master". Only a takeover from a live master is muted
//   (control promote, or the answer to its resign): after a master-down
//   there is nobody to hand over from, and a master that went silent while
//   its worker is slow to apply would let the backup take over a live
//   master. A resign (priority 0) is never muted.
// - A resign hands over at once to the node its Redis names. A backup that
//   hears the master resign (priority 0) waits its skew time (RFC 5798
//   §6.4.2), so that the highest-priority backup wins. When its own Redis is
//   already the master (vipctl demote switched the roles first), it is the
//   node that must win: it takes over now, not ~65 ms later (priority 90 at
//   100 ms adverts), all that time clients getting READONLY from the old
//   master. The skew timer stays as the fallback.
#include <cstdint>

#include "vrrp/core/state_machine.hpp"

namespace vipkit::vipd {

// Hold back an advert of `priority` in `state`? `took_over`: this master
// state began with a takeover from a live master (reason take-over).
bool advert_muted(vrrp::State state, std::uint8_t priority, bool vips_held, bool took_over);

// What a backup does on hearing the master resign, from what its Redis
// worker last saw of the local Redis.
enum class ResignResponse {
  skew,           // the RFC's master-down timer: Skew_Time
  check_then,     // not known to be master: ask the worker now; take over if it is
  take_over_now,  // the local Redis is the master already
};
ResignResponse on_master_resign(vrrp::State state, bool local_redis_master);

}  // namespace vipkit::vipd
