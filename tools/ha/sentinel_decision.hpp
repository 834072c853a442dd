#pragma once
// `leader = sentinel`: Redis Sentinel elects, vipd only follows. Given what
// each configured Sentinel answered and what the local Redis says of itself,
// should this host hold the VIP, and should its Redis stop taking writes?
// Pure: no socket, no clock; the driver observes, calls decide_sentinel,
// executes, and passes the returned epoch back next time. docs/sentinel.md
// has the rules in prose and why `release` is the default.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redis/endpoint.hpp"
#include "redis/replies.hpp"

namespace vipkit::ha {

// What one configured Sentinel answered to get-master-addr-by-name and
// SENTINEL master (sentinel_client.hpp).
struct SentinelReport {
  enum class Kind {
    unreachable,     // no connection, timeout
    error,           // an error reply or a reply of the wrong shape
    unknown_master,  // it monitors no master by that name (nil)
    master,          // it names a master
  };
  Kind kind = Kind::unreachable;
  redis::Endpoint master;             // master only
  std::uint64_t config_epoch = 0;     // master only
  bool failover_in_progress = false;  // master only: this Sentinel is replacing `master`
  std::string error;                  // error only: the cause, for status and logs

  static SentinelReport names(redis::Endpoint address, std::uint64_t epoch, bool failing_over = false) {
    return {Kind::master, std::move(address), epoch, failing_over, {}};
  }
  static SentinelReport unreachable() { return {}; }
  static SentinelReport failed(std::string cause) { return {Kind::error, {}, 0, false, std::move(cause)}; }
  static SentinelReport unknown() { return {Kind::unknown_master, {}, 0, false, {}}; }
};

enum class LocalRole { master, replica, unreachable };

// ROLE's answer as the decision reads it (no answer: LocalRole::unreachable).
LocalRole local_role_of(redis::Role role);

// SentinelInput::local_addresses: the address the other hosts (and so the
// Sentinels) reach the local Redis by (`self`), then the local endpoint
// when it differs. One rule for vipd, vipctl and the test probe.
std::vector<redis::Endpoint> local_addresses_of(const redis::Endpoint& advertised, const redis::Endpoint& local);

// keep: without a quorum, a host that holds the VIP keeps it (it never
// takes it). release: without a quorum nobody holds the VIP.
enum class OnQuorumLoss { keep, release };
std::string_view to_token(OnQuorumLoss policy);  // "keep" | "release"

struct SentinelPolicy {
  OnQuorumLoss on_quorum_loss = OnQuorumLoss::release;
  bool fence = false;  // CLIENT PAUSE WRITE a local master that must not hold the VIP
};

struct SentinelInput {
  std::vector<SentinelReport> reports;           // one per configured Sentinel
  std::vector<redis::Endpoint> local_addresses;  // the local Redis as Sentinels name it
  LocalRole local_role = LocalRole::unreachable;
  SentinelPolicy policy;
  std::uint64_t last_epoch = 0;  // the epoch of the last decision (SentinelDecision::epoch)
  bool holding_vip = false;
};

enum class VipAction { hold, release };
// fence: (re)issue CLIENT PAUSE WRITE, renewed every reconcile while the
// decision lasts; unfence: CLIENT UNPAUSE; none: leave it be (the local
// Redis is unreachable, or fencing is off).
enum class FenceAction { none, fence, unfence };
std::string_view to_token(VipAction action);    // "hold" | "release"
std::string_view to_token(FenceAction action);  // "none" | "fence" | "unfence"

struct SentinelDecision {
  VipAction vip = VipAction::release;
  FenceAction fence = FenceAction::none;
  std::string_view reason;  // one stable token per row of the table
  // The epoch to pass back as last_epoch: the majority-backed config epoch
  // when a majority names one master, else the input's last_epoch.
  std::uint64_t epoch = 0;
  std::optional<redis::Endpoint> elected;  // the master a majority names, if any
  int configured = 0;  // Sentinels configured
  int views = 0;       // current views: answered with a master at an epoch not older than last_epoch
  int votes = 0;       // views naming the local Redis, not failing it over
  int stale = 0;       // answers naming a master at an epoch older than last_epoch
};

// The majority of `configured` Sentinels: more than half of them.
int sentinel_majority(int configured);

SentinelDecision decide_sentinel(const SentinelInput& input);

// "hold reason=local-elected views=3/3 votes=3 stale=0
// elected=10.0.0.1:6379 epoch=4 fence=unfence": the decision as one log
// line's key=value tail.
std::string to_text(const SentinelDecision& decision);

}  // namespace vipkit::ha
