#pragma once
// Typed views of Redis replies: ROLE, INFO sections. Pure parsers, unit-tested
// on real reply text captured from redis-server.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "redis/reply.hpp"
#include "redis/result.hpp"

namespace vipkit::redis {

enum class Role { master, replica, sentinel, unknown };
std::string_view to_token(Role role);  // "master", "replica", "sentinel", "unknown"

// ROLE: master  -> ["master", offset, [[host, port, offset], ...]]
//       replica -> ["slave", host, port, state, offset]   state: connect|connecting|sync|connected|handshake
struct ReplicaEntry {
  std::string host;
  int port = 0;
  long long offset = 0;
};
struct RoleInfo {
  Role role = Role::unknown;
  long long offset = 0;                 // master: repl offset; replica: processed offset (-1 before sync)
  std::vector<ReplicaEntry> replicas;   // master only
  std::string master_host;              // replica only
  int master_port = 0;                  // replica only
  std::string link_state;               // replica only: connect, connecting, sync, connected, handshake
};
Result<RoleInfo> parse_role(const Reply& reply);

// "key:value\r\n" lines of an INFO reply; "# Section" headers and blank lines
// skipped. Later keys win.
std::map<std::string, std::string, std::less<>> parse_info_fields(std::string_view text);

// Fields from INFO replication (plus `loading` from INFO persistence, since a
// loading node must never be treated as a healthy master or replica).
struct ReplicationInfo {
  Role role = Role::unknown;
  std::string master_replid;
  std::string master_replid2;           // "000...0" when none
  long long master_repl_offset = 0;
  long long second_repl_offset = -1;    // -1 when there is no previous history
  int connected_slaves = 0;
  // The replication backlog: bytes [first_byte_offset, first_byte_offset +
  // histlen) of the stream are still held, so a PSYNC from any offset in
  // that range (inclusive of the end) continues without a full sync.
  bool repl_backlog_active = false;
  long long repl_backlog_first_byte_offset = 0;
  long long repl_backlog_histlen = 0;
  // replica only
  std::string master_host;
  int master_port = 0;
  bool master_link_up = false;          // master_link_status:up
  bool master_sync_in_progress = false;
  long long slave_repl_offset = 0;
  long long master_last_io_seconds_ago = -1;
  // master_link_down_since_seconds, only while the link is down: -1 when
  // this Redis has had no link to any master since it started.
  long long master_link_down_since_seconds = -1;
  // FAILOVER progress (Redis >= 6.2): no-failover | waiting-for-sync |
  // failover-in-progress; empty on older servers.
  std::string failover_state;
  // INFO persistence
  bool loading = false;
};
// `replication` is the text of INFO replication; `persistence` the text of
// INFO persistence (may be empty: loading stays false). Missing required
// fields (role, master_replid, master_repl_offset) -> ErrorCode::protocol.
Result<ReplicationInfo> parse_replication_info(std::string_view replication,
                                               std::string_view persistence);

// INFO persistence fields the snapshot procedure waits on.
struct PersistenceInfo {
  bool loading = false;
  bool rdb_bgsave_in_progress = false;
  long long rdb_last_save_time = 0;
  bool rdb_last_bgsave_ok = true;
};
Result<PersistenceInfo> parse_persistence_info(std::string_view persistence);

// "redis_version:7.0.15" from INFO server -> {7, 0, 15}
struct Version {
  int major = 0, minor = 0, patch = 0;
  auto operator<=>(const Version&) const = default;
};
Result<Version> parse_version(std::string_view info_server);
std::string to_text(const Version& version);  // "7.0.15"

// What INFO server tells apart: the version (which switchover commands exist)
// and run_id, which names one server process — how vipctl learns which node
// answers on the VIP address.
struct ServerInfo {
  Version version;
  std::string run_id;
};
Result<ServerInfo> parse_server_info(std::string_view info_server);

}  // namespace vipkit::redis
