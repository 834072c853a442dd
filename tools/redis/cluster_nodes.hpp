#pragma once
// Typed views of CLUSTER NODES and CLUSTER INFO. Pure parsers: the text may
// come from any program answering on a port, so every field is checked and a
// malformed line is an ErrorCode::protocol error naming the line, never a
// crash. Format: https://redis.io/commands/cluster-nodes/ (one line a node:
// id ip:port@cport[,hostname] flags master ping-sent pong-recv config-epoch
// link-state slot...).
#include <string>
#include <string_view>
#include <vector>

#include "redis/result.hpp"

namespace vipkit::redis {

inline constexpr int cluster_slots = 16384;  // CLUSTER_SLOTS in cluster.h

struct SlotRange {
  int first = 0;
  int last = 0;  // inclusive
  bool operator==(const SlotRange&) const = default;
};

// "[slot->-id]" (this node migrates `slot` to `node`) or "[slot-<-id]" (it
// imports it from `node`). Only the reporting node's own line carries them,
// and the slot still belongs to the owner listed in the ranges.
struct SlotMove {
  int slot = 0;
  bool importing = false;  // false: migrating
  std::string node;
  bool operator==(const SlotMove&) const = default;
};

struct ClusterNode {
  std::string id;        // 40 hex characters
  std::string host;      // empty for a node without address (flag noaddr, ":0@0")
  int port = 0;
  int bus_port = 0;
  std::string hostname;  // the optional ",hostname" (Redis >= 7)
  std::vector<std::string> flags;  // myself, master, slave, fail?, fail, handshake, noaddr, nofailover, noflags
  std::string master_id;  // empty for "-"
  long long config_epoch = 0;
  bool link_connected = false;  // link-state "connected" (else "disconnected")
  std::vector<SlotRange> slots;
  std::vector<SlotMove> moves;

  bool has_flag(std::string_view flag) const;
  bool is_myself() const { return has_flag("myself"); }
  bool is_master() const { return has_flag("master"); }
  bool is_replica() const { return has_flag("slave"); }
  bool is_failed() const { return has_flag("fail"); }
  bool is_pfail() const { return has_flag("fail?"); }  // "possibly failing": this node's view alone
  std::string address() const;  // "host:port"
  int slot_count() const;
};

// One node per non-empty line (LF or CRLF).
Result<std::vector<ClusterNode>> parse_cluster_nodes(std::string_view text);

// "0-5460 5462 5464-5470": ranges as CLUSTER NODES writes them.
std::string slots_text(const std::vector<SlotRange>& ranges);

// CLUSTER INFO: key:value lines; cluster_state is required.
struct ClusterInfo {
  std::string state;  // "ok" | "fail"
  int slots_assigned = 0;
  int slots_ok = 0;
  int slots_pfail = 0;
  int slots_fail = 0;
  int known_nodes = 0;
  int size = 0;  // masters serving at least one slot
  long long current_epoch = 0;
};
Result<ClusterInfo> parse_cluster_info(std::string_view text);

}  // namespace vipkit::redis
