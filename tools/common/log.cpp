#include "common/log.hpp"

#include <syslog.h>

#include "common/outside_text.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/syslog_sink.h>

namespace vipkit::common {

Logger make_logger(const LogOptions& options) {
  std::vector<spdlog::sink_ptr> sinks;
  auto err = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  err->set_pattern("%Y-%m-%dT%H:%M:%S.%e %n %l %v");
  sinks.push_back(err);
  if (options.syslog) {
    auto sys = std::make_shared<spdlog::sinks::syslog_sink_mt>(options.ident, LOG_PID, LOG_DAEMON, true);
    sys->set_pattern("%v");
    sinks.push_back(sys);
  }
  auto logger = std::make_shared<spdlog::logger>(options.ident, sinks.begin(), sinks.end());
  logger->set_level(options.verbose ? spdlog::level::debug : spdlog::level::info);
  logger->flush_on(spdlog::level::debug);
  return logger;
}

std::string kv_value(const std::string& value) {
  // Escaped and cut first (outside_text.hpp): a value may be outside input.
  const std::string shown = printable(value, kv_value_limit);
  if (!shown.empty() && shown.find_first_of(" \"=") == std::string::npos) return shown;
  std::string out = "\"";
  for (const char c : shown) {
    if (c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace vipkit::common
