#include "redis/keyspace.hpp"

#include <charconv>
#include <string>

namespace vipkit::redis {

Result<std::vector<KeyspaceDb>> parse_keyspace_databases(std::string_view text) {
  std::vector<KeyspaceDb> dbs;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.starts_with("db")) continue;
    const auto keys_at = line.find(":keys=");
    if (keys_at == std::string_view::npos) {
      return Error{ErrorCode::protocol, "INFO keyspace line without keys=: " + std::string(line)};
    }
    KeyspaceDb entry;
    auto [db_end, db_ec] = std::from_chars(line.data() + 2, line.data() + keys_at, entry.db);
    if (db_ec != std::errc() || db_end != line.data() + keys_at) {
      return Error{ErrorCode::protocol, "INFO keyspace database is not dbN: " + std::string(line)};
    }
    const char* first = line.data() + keys_at + 6;
    const char* last = line.data() + line.size();
    auto [ptr, ec] = std::from_chars(first, last, entry.keys);
    if (ec != std::errc() || (ptr != last && *ptr != ',')) {
      return Error{ErrorCode::protocol, "INFO keyspace keys= is not a number: " + std::string(line)};
    }
    dbs.push_back(entry);
  }
  return dbs;
}

Result<long long> parse_keyspace_keys(std::string_view text) {
  auto dbs = parse_keyspace_databases(text);
  if (!dbs) return dbs.error();
  long long total = 0;
  for (const auto& db : dbs.value()) total += db.keys;
  return total;
}

}  // namespace vipkit::redis
