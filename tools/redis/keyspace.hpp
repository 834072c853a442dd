#pragma once
// INFO keyspace: "db0:keys=12,expires=0,avg_ttl=0" per database. DBSIZE only
// counts the selected database; whether a node "holds data" must count all.
#include <string_view>
#include <vector>

#include "redis/result.hpp"

namespace vipkit::redis {

struct KeyspaceDb {
  int db = 0;
  long long keys = 0;
};

// Every dbN line, in the order listed; empty when the section lists none.
Result<std::vector<KeyspaceDb>> parse_keyspace_databases(std::string_view info_keyspace);

// Sum of keys= over every dbN line; 0 when the section lists no database.
Result<long long> parse_keyspace_keys(std::string_view info_keyspace);

}  // namespace vipkit::redis
