#include <catch2/catch.hpp>

#include "common/apply.hpp"
#include "node_builders.hpp"

using namespace vipkit;
using namespace vipkit::test;

namespace {
common::Applied promoted_after_failure() {
  common::Applied a;
  a.state = ha::VrrpState::master;
  a.source = "vipd";
  a.priority = 100;
  a.seen.local = replica(history_a, 1200, 10, "192.0.2.11", 16465, false);
  a.seen.peer = down();
  a.plan = {ha::Action::promote, "peer-unreachable"};
  a.execution.outcome.ok = true;
  a.execution.outcome.steps.push_back({"promote", true, std::chrono::milliseconds(2), ""});
  a.elapsed = std::chrono::milliseconds(3);
  return a;
}
}  // namespace

TEST_CASE("apply: one log line and one state-file record per application", "[common][apply]") {
  common::Applied a = promoted_after_failure();
  CHECK(common::result_token(a) == "ok");
  CHECK_FALSE(common::failed(a));
  const std::string line = common::log_line("redis_16465", a);
  CHECK(line.starts_with("promote instance=redis_16465 state=master source=vipd reason=peer-unreachable "
                         "result=ok duration_ms=3 local=\"role=replica"));
  CHECK(line.ends_with(" steps=promote:ok:2ms"));
  const auto doc = common::transition_json("redis_16465", a);
  CHECK(doc["action"] == "promote");
  CHECK(doc["priority"] == 100);
  CHECK(doc["local"]["role"] == "replica");
  CHECK(doc["peer"]["reachable"] == false);
  CHECK(doc["steps"][0]["name"] == "promote");
  CHECK_FALSE(doc.contains("vip_local"));  // vipd knows its own state: no --vip

  SECTION("a failed step is the error") {
    a.execution.outcome.ok = false;
    a.execution.outcome.steps[0] = {"promote", false, std::chrono::milliseconds(2), "READONLY"};
    CHECK(common::result_token(a) == "failed");
    CHECK(common::failed(a));
    CHECK(common::log_line("x", a).ends_with(" error=\"promote: READONLY\""));
  }
  SECTION("refused, waiting, gave up") {
    a.plan = {ha::Action::refuse, "split-peer-diverged"};
    a.execution.outcome = {};
    CHECK(common::result_token(a) == "refused");
    CHECK(common::failed(a));
    a.plan = {ha::Action::wait, "peer-not-master"};
    a.execution.outcome.ok = true;
    CHECK(common::result_token(a) == "waiting");
    CHECK_FALSE(common::failed(a));
    a.wait_is_failure = true;
    CHECK(common::failed(a));
    a.gave_up = true;
    CHECK(common::result_token(a) == "gave-up");
  }
}

TEST_CASE("apply: a routine re-application is news only when the plan changes", "[common][apply]") {
  const ha::Plan promote{ha::Action::promote, "peer-unreachable"};
  CHECK(common::is_routine_repeat({ha::Action::nothing, "already-master"}, std::nullopt));
  CHECK(common::is_routine_repeat({ha::Action::wait, "peer-not-master"}, promote));
  CHECK(common::is_routine_repeat(promote, promote));
  CHECK_FALSE(common::is_routine_repeat(promote, std::nullopt));
  CHECK_FALSE(common::is_routine_repeat(promote, ha::Plan{ha::Action::promote, "peer-loading"}));
}
