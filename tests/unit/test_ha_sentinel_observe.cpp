#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "ha/sentinel_observe.hpp"

using namespace vipkit;
using namespace vipkit::test;
using Kind = ha::SentinelReport::Kind;

namespace {

redis::Result<redis::SentinelAnswer> failure(redis::ErrorCode code, std::string text) {
  return redis::Error{code, std::move(text)};
}

}  // namespace

TEST_CASE("a Sentinel that cannot be reached in time is no view, not an error", "[ha][sentinel]") {
  CHECK(ha::to_report(failure(redis::ErrorCode::unreachable, "connect: Connection refused")).kind ==
        Kind::unreachable);
  CHECK(ha::to_report(failure(redis::ErrorCode::timeout, "deadline passed")).kind == Kind::unreachable);
}

TEST_CASE("a Sentinel that answers wrongly is an error with its cause", "[ha][sentinel]") {
  const auto auth = ha::to_report(failure(redis::ErrorCode::auth_failed, "WRONGPASS invalid username-password pair"));
  CHECK(auth.kind == Kind::error);
  CHECK(auth.error == "auth-failed: WRONGPASS invalid username-password pair");
  CHECK(ha::to_report(failure(redis::ErrorCode::protocol, "unexpected SENTINEL master reply: not an array")).kind ==
        Kind::error);
}

TEST_CASE("a Sentinel's answer becomes its report", "[ha][sentinel]") {
  CHECK(ha::to_report(redis::SentinelAnswer{}).kind == Kind::unknown_master);

  redis::SentinelAnswer answer;
  answer.master = redis::Endpoint{"127.0.0.1", 45895, ""};
  answer.state = redis::parse_sentinel_master(json_fixture("sentinel/master-failover-in-progress.json")).value();
  const auto failing = ha::to_report(answer);
  CHECK(failing.kind == Kind::master);
  CHECK(failing.master == redis::Endpoint{"127.0.0.1", 45895, ""});
  CHECK(failing.config_epoch == 1);
  CHECK(failing.failover_in_progress);

  answer.state = redis::parse_sentinel_master(json_fixture("sentinel/master-after-kill.json")).value();
  const auto healthy = ha::to_report(answer);
  CHECK(healthy.config_epoch == 2);
  CHECK_FALSE(healthy.failover_in_progress);
}
