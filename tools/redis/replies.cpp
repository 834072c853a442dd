#include "redis/replies.hpp"

#include <optional>

#include "redis/number.hpp"

namespace vipkit::redis {

namespace {

using Fields = std::map<std::string, std::string, std::less<>>;

Error missing(std::string_view field) {
  return Error{ErrorCode::protocol, "INFO has no " + std::string(field) + " field"};
}

Error not_a_number(std::string_view field, std::string_view value) {
  return Error{ErrorCode::protocol,
               "INFO field " + std::string(field) + " is not a number: " + std::string(value)};
}

// Optional numeric field: absent keeps the default, malformed is an error.
template <class Int>
std::optional<Error> read_number(const Fields& f, std::string_view key, Int& out) {
  const auto it = f.find(key);
  if (it == f.end()) return std::nullopt;
  const auto n = to_number<Int>(it->second);
  if (!n) return not_a_number(key, it->second);
  out = *n;
  return std::nullopt;
}

std::optional<Error> read_flag(const Fields& f, std::string_view key, bool& out) {
  int n = out ? 1 : 0;
  if (auto e = read_number(f, key, n)) return e;
  out = n != 0;
  return std::nullopt;
}

std::string_view text_or_empty(const Reply& r) {
  return r.type == Reply::Type::string || r.type == Reply::Type::status ? std::string_view(r.str)
                                                                          : std::string_view();
}

std::optional<long long> integer_of(const Reply& r) {
  if (r.type == Reply::Type::integer) return r.integer;
  if (r.type == Reply::Type::string || r.type == Reply::Type::status) return to_number<long long>(r.str);
  return std::nullopt;
}

Error bad_role(const std::string& why) { return Error{ErrorCode::protocol, "unexpected ROLE reply: " + why}; }

}  // namespace

std::string_view to_token(Role role) {
  switch (role) {
    case Role::master: return "master";
    case Role::replica: return "replica";
    case Role::sentinel: return "sentinel";
    case Role::unknown: return "unknown";
  }
  return "unknown";
}

Result<RoleInfo> parse_role(const Reply& reply) {
  if (reply.type != Reply::Type::array || reply.elements.empty()) return bad_role("not an array");
  const auto& e = reply.elements;
  const std::string_view kind = text_or_empty(e[0]);
  RoleInfo info;
  if (kind == "master") {
    if (e.size() < 3 || e[2].type != Reply::Type::array) return bad_role("master without replica list");
    const auto offset = integer_of(e[1]);
    if (!offset) return bad_role("master offset is not a number");
    info.role = Role::master;
    info.offset = *offset;
    for (const Reply& r : e[2].elements) {
      if (r.type != Reply::Type::array || r.elements.size() < 3) return bad_role("bad replica entry");
      const auto port = integer_of(r.elements[1]);
      const auto roffset = integer_of(r.elements[2]);
      if (!port || !roffset) return bad_role("replica entry port/offset not numbers");
      info.replicas.push_back({std::string(text_or_empty(r.elements[0])), static_cast<int>(*port), *roffset});
    }
    return info;
  }
  if (kind == "slave") {
    if (e.size() < 5) return bad_role("replica reply too short");
    const auto port = integer_of(e[2]);
    const auto offset = integer_of(e[4]);
    if (!port || !offset) return bad_role("replica port/offset not numbers");
    info.role = Role::replica;
    info.master_host = std::string(text_or_empty(e[1]));
    info.master_port = static_cast<int>(*port);
    info.link_state = std::string(text_or_empty(e[3]));
    info.offset = *offset;
    return info;
  }
  if (kind == "sentinel") {
    info.role = Role::sentinel;
    return info;
  }
  return bad_role("role " + std::string(kind));
}

std::map<std::string, std::string, std::less<>> parse_info_fields(std::string_view text) {
  Fields fields;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    fields.insert_or_assign(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
  }
  return fields;
}

Result<ReplicationInfo> parse_replication_info(std::string_view replication, std::string_view persistence) {
  const Fields f = parse_info_fields(replication);
  ReplicationInfo info;
  const auto role = f.find("role");
  if (role == f.end()) return missing("role");
  if (role->second == "master") {
    info.role = Role::master;
  } else if (role->second == "slave") {
    info.role = Role::replica;
  } else {
    return Error{ErrorCode::protocol, "INFO role is " + role->second};
  }
  const auto replid = f.find("master_replid");
  if (replid == f.end()) return missing("master_replid");
  info.master_replid = replid->second;
  if (!f.contains("master_repl_offset")) return missing("master_repl_offset");
  if (const auto it = f.find("master_replid2"); it != f.end()) info.master_replid2 = it->second;
  if (const auto it = f.find("master_failover_state"); it != f.end()) info.failover_state = it->second;
  for (auto e : {read_number(f, "master_repl_offset", info.master_repl_offset),
                 read_number(f, "second_repl_offset", info.second_repl_offset),
                 read_number(f, "connected_slaves", info.connected_slaves),
                 read_flag(f, "repl_backlog_active", info.repl_backlog_active),
                 read_number(f, "repl_backlog_first_byte_offset", info.repl_backlog_first_byte_offset),
                 read_number(f, "repl_backlog_histlen", info.repl_backlog_histlen)}) {
    if (e) return *e;
  }
  if (info.role == Role::replica) {
    if (const auto it = f.find("master_host"); it != f.end()) info.master_host = it->second;
    if (const auto it = f.find("master_link_status"); it != f.end()) info.master_link_up = it->second == "up";
    for (auto e : {read_number(f, "master_port", info.master_port),
                   read_number(f, "slave_repl_offset", info.slave_repl_offset),
                   read_number(f, "master_last_io_seconds_ago", info.master_last_io_seconds_ago),
                   read_number(f, "master_link_down_since_seconds", info.master_link_down_since_seconds),
                   read_flag(f, "master_sync_in_progress", info.master_sync_in_progress)}) {
      if (e) return *e;
    }
  }
  const Fields p = parse_info_fields(persistence);
  if (auto e = read_flag(p, "loading", info.loading)) return *e;
  return info;
}

Result<PersistenceInfo> parse_persistence_info(std::string_view persistence) {
  const Fields f = parse_info_fields(persistence);
  if (!f.contains("rdb_bgsave_in_progress")) return missing("rdb_bgsave_in_progress");
  PersistenceInfo info;
  for (auto e : {read_flag(f, "loading", info.loading),
                 read_flag(f, "rdb_bgsave_in_progress", info.rdb_bgsave_in_progress),
                 read_number(f, "rdb_last_save_time", info.rdb_last_save_time)}) {
    if (e) return *e;
  }
  if (const auto it = f.find("rdb_last_bgsave_status"); it != f.end()) info.rdb_last_bgsave_ok = it->second == "ok";
  return info;
}

std::string to_text(const Version& v) {
  return std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch);
}

Result<Version> parse_version(std::string_view info_server) {
  const Fields f = parse_info_fields(info_server);
  const auto it = f.find("redis_version");
  if (it == f.end()) return missing("redis_version");
  Version v;
  std::string_view rest = it->second;
  int* parts[] = {&v.major, &v.minor, &v.patch};
  for (int* part : parts) {
    const auto dot = rest.find('.');
    const auto n = to_number<int>(rest.substr(0, dot));
    if (!n) return not_a_number("redis_version", it->second);
    *part = *n;
    if (dot == std::string_view::npos) break;
    rest = rest.substr(dot + 1);
  }
  return v;
}

Result<ServerInfo> parse_server_info(std::string_view info_server) {
  auto version = parse_version(info_server);
  if (!version) return version.error();
  const Fields f = parse_info_fields(info_server);
  const auto it = f.find("run_id");
  if (it == f.end() || it->second.empty()) return missing("run_id");
  return ServerInfo{version.value(), it->second};
}

}  // namespace vipkit::redis
