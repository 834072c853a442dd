#pragma once
// The observing half of `leader = sentinel`: ask every configured Sentinel
// (sentinel_client.hpp) and turn each answer into the SentinelReport the
// decision reads. Never throws; a Sentinel that fails is a report too.
#include <chrono>
#include <string>
#include <vector>

#include "ha/sentinel_decision.hpp"
#include "redis/sentinel_client.hpp"

namespace vipkit::ha {

// Pure: a connection failure or timeout is `unreachable` (no view, as for
// quorum); any other error (AUTH refused, an error reply, a reply of the
// wrong shape) is `error` with its text.
SentinelReport to_report(const redis::Result<redis::SentinelAnswer>& answer);

// One Sentinel after another, each bounded by `timeout` of its own, so one
// black-holed Sentinel costs at most `timeout` and cannot starve the others.
std::vector<SentinelReport> observe_sentinels(const std::vector<redis::Endpoint>& sentinels,
                                              const redis::Credentials& credentials,
                                              const std::string& master_name, std::chrono::milliseconds timeout);

}  // namespace vipkit::ha
