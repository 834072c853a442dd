#include "redis/keyspace.hpp"

#include <charconv>
#include <string>

namespace vipkit::redis {

Result<long long> parse_keyspace_keys(std::string_view text) {
  long long total = 0;
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
    const char* first = line.data() + keys_at + 6;
    const char* last = line.data() + line.size();
    long long keys = 0;
    auto [ptr, ec] = std::from_chars(first, last, keys);
    if (ec != std::errc() || (ptr != last && *ptr != ',')) {
      return Error{ErrorCode::protocol, "INFO keyspace keys= is not a number: " + std::string(line)};
    }
    total += keys;
  }
  return total;
}

}  // namespace vipkit::redis
