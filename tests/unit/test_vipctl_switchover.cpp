#include <catch2/catch.hpp>

#include "vipctl/switchover.hpp"
#include "vipctl/switchover_render.hpp"

using namespace vipkit;
using vipctl::SwitchResult;

namespace {
vipctl::SwitchoverReport report(SwitchResult result, std::string reason = "") {
  vipctl::SwitchoverReport r;
  r.op = vipctl::Operation::promote;
  r.result = result;
  r.reason = std::move(reason);
  r.from = "192.0.2.11:16465";
  r.to = "192.0.2.12:16465";
  r.mover = "keepalived";
  r.preflight.checks = {{"old-master", vipctl::CheckStatus::pass, "192.0.2.11:16465 is a master"}};
  r.steps = {{"failover", true, std::chrono::milliseconds(0), "to=192.0.2.12:16465"},
             {"wait-failover", true, std::chrono::milliseconds(4), "old_master=replica"}};
  r.write_pause = std::chrono::milliseconds(4);
  r.total = std::chrono::milliseconds(850);
  return r;
}
}  // namespace

TEST_CASE("switchover exit codes: 0 done, 1 refused or rolled back, 3 the rollback failed", "[vipctl][switchover]") {
  CHECK(vipctl::exit_code(report(SwitchResult::switched)) == 0);
  CHECK(vipctl::exit_code(report(SwitchResult::already)) == 0);  // promote run twice: nothing to do
  CHECK(vipctl::exit_code(report(SwitchResult::switched, "old-master-not-linked")) == 1);
  CHECK(vipctl::exit_code(report(SwitchResult::dry_run)) == 0);
  auto failing_dry_run = report(SwitchResult::dry_run);
  failing_dry_run.preflight.checks[0].status = vipctl::CheckStatus::fail;
  CHECK(vipctl::exit_code(failing_dry_run) == 1);
  CHECK(vipctl::exit_code(report(SwitchResult::refused, "preflight-failed")) == 1);
  CHECK(vipctl::exit_code(report(SwitchResult::rolled_back, "failover-timeout")) == 1);
  CHECK(vipctl::exit_code(report(SwitchResult::rollback_failed, "vip-did-not-move")) == 3);
}

TEST_CASE("switchover --json: shape scripts rely on", "[vipctl][switchover]") {
  const auto j = vipctl::switchover_json(report(SwitchResult::switched));
  CHECK(j["op"] == "promote");
  CHECK(j["result"] == "switched");
  CHECK(j["ok"] == true);
  CHECK(j["from"] == "192.0.2.11:16465");
  CHECK(j["to"] == "192.0.2.12:16465");
  CHECK(j["method"] == "failover");
  CHECK(j["vip_mover"] == "keepalived");
  CHECK(j["write_pause_ms"] == 4);
  CHECK(j["total_ms"] == 850);
  CHECK(j["preflight"][0] == nlohmann::json{{"check", "old-master"}, {"status", "pass"},
                                            {"detail", "192.0.2.11:16465 is a master"}});
  CHECK(j["steps"][1] == nlohmann::json{{"name", "wait-failover"}, {"ok", true}, {"ms", 4}, {"detail", "old_master=replica"}});
  auto refused = report(SwitchResult::refused, "preflight-failed");
  refused.write_pause.reset();
  const auto r = vipctl::switchover_json(refused);
  CHECK(r["ok"] == false);
  CHECK(r["reason"] == "preflight-failed");
  CHECK(r["write_pause_ms"].is_null());
}
