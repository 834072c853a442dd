#pragma once
// Typed views of what a Redis Sentinel answers about one monitored master:
// SENTINEL get-master-addr-by-name, SENTINEL master, and the events it
// publishes (+switch-master, +odown, ...). Pure parsers: whatever answers on a
// Sentinel's port may be another program, so a reply of any other shape is
// an ErrorCode::protocol error naming what is wrong, never a crash.
// Unit-tested on replies captured from redis-sentinel 7.0.15 (RESP2).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redis/endpoint.hpp"
#include "redis/reply.hpp"
#include "redis/result.hpp"

namespace vipkit::redis {

// SENTINEL get-master-addr-by-name NAME -> [ip, port]; nil when this Sentinel
// monitors no master called NAME (nullopt here, not an error: the Sentinel
// answered, it just has no view). During a failover the address is already
// the promoted replica's once the failover reached reconf-slaves
// (sentinelGetCurrentMasterAddress in sentinel.c).
Result<std::optional<Endpoint>> parse_master_addr(const Reply& reply);

// SENTINEL master NAME: a flat field/value array in RESP2 (a map in RESP3).
// Only the fields a VIP decision and `vipctl status` need are kept.
struct SentinelMaster {
  std::string name;
  Endpoint address;
  std::vector<std::string> flags;  // master, s_down, o_down, disconnected, failover_in_progress, ...
  // The epoch of the configuration that made `address` the master: a
  // failover raises it, every Sentinel adopts the highest one it hears of
  // (sentinelProcessHelloMessage), so an older epoch is an older truth.
  std::uint64_t config_epoch = 0;
  int num_other_sentinels = 0;
  int quorum = 0;
  int num_slaves = 0;
  std::string failover_state;  // "wait_start", ...; empty when no failover runs

  bool has_flag(std::string_view flag) const;
  bool s_down() const { return has_flag("s_down"); }
  bool o_down() const { return has_flag("o_down"); }
  bool failover_in_progress() const { return has_flag("failover_in_progress"); }
};
// Required: name, ip, port, flags, config-epoch, num-other-sentinels, quorum.
Result<SentinelMaster> parse_sentinel_master(const Reply& reply);

// The channels a Sentinel publishes that can change who the master is, or
// say it is about to (the names of sentinel.c's sentinelEvent calls).
inline constexpr std::string_view sentinel_event_channels[] = {
    "+switch-master", "+odown", "-odown", "+sdown", "-sdown", "+failover-end",
    "+failover-end-for-timeout", "-failover-abort-not-elected", "+config-update-from",
    "+new-epoch",
};

// One event as published: the channel is the event's name; the payload is
// "<name> <oldip> <oldport> <newip> <newport>" for +switch-master, and for
// instance events "<type> <name> <ip> <port> @ <master-name> <master-ip>
// <master-port>" (the part from "@" omitted when the instance is a master),
// possibly followed by free text ("#quorum 3/2").
struct SentinelEvent {
  std::string channel;       // "+switch-master", "+odown", ...
  std::string master_name;   // the monitored master the event concerns
  std::optional<Endpoint> new_master;  // +switch-master only
  std::optional<Endpoint> old_master;  // +switch-master only
};
// Events of an unknown or unparsable shape are an error; a caller that
// only wants to know "something happened to NAME" can re-check on error.
// +new-epoch carries no master name (the payload is the epoch): master_name
// stays empty.
Result<SentinelEvent> parse_sentinel_event(std::string_view channel, std::string_view payload);

}  // namespace vipkit::redis
