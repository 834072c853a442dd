#pragma once
// Operator logs: one line per event, a stable event token then key=value
// context ("promote instance=redis_16465 result=ok offset=1234"), to stderr
// and (optionally) syslog. The logger is passed explicitly, never global.
#include <memory>
#include <string>

#include <spdlog/logger.h>

namespace vipkit::common {

using Logger = std::shared_ptr<spdlog::logger>;

struct LogOptions {
  std::string ident;     // program name, the syslog ident
  bool syslog = true;
  bool verbose = false;  // debug level
};
Logger make_logger(const LogOptions& options);

// A value for key=value output: control and non-ASCII bytes escaped, cut
// past kv_value_limit bytes (with the length said), quoted when it holds
// spaces, quotes or '='.
inline constexpr std::size_t kv_value_limit = 512;
std::string kv_value(const std::string& value);

}  // namespace vipkit::common
