#include "ha/sentinel_observe.hpp"

namespace vipkit::ha {

SentinelReport to_report(const redis::Result<redis::SentinelAnswer>& answer) {
  if (!answer) {
    const auto code = answer.error().code;
    if (code == redis::ErrorCode::unreachable || code == redis::ErrorCode::timeout) {
      return SentinelReport::unreachable();
    }
    return SentinelReport::failed(std::string(redis::to_token(code)) + ": " + answer.error().message);
  }
  if (!answer->master || !answer->state) return SentinelReport::unknown();
  return SentinelReport::names(*answer->master, answer->state->config_epoch, answer->state->failover_in_progress());
}

std::vector<SentinelReport> observe_sentinels(const std::vector<redis::Endpoint>& sentinels,
                                              const redis::Credentials& credentials,
                                              const std::string& master_name, std::chrono::milliseconds timeout) {
  std::vector<SentinelReport> reports;
  reports.reserve(sentinels.size());
  for (const auto& sentinel : sentinels) {
    const auto deadline = redis::Clock::now() + timeout;
    reports.push_back(to_report(redis::ask_sentinel(sentinel, credentials, master_name, deadline)));
  }
  return reports;
}

}  // namespace vipkit::ha
