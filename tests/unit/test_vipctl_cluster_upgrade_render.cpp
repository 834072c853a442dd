#include <catch2/catch.hpp>

#include "vipctl/cluster_upgrade_render.hpp"

using namespace vipkit::vipctl;
using std::chrono::milliseconds;

namespace {

UpgradeStep step(StepKind kind, const std::string& address, const std::string& description) {
  return {kind, Stage::replicas, {"id-" + address, address}, {}, description};
}

// Stopped at the restart of the second replica: the first one done.
ClusterUpgradeReport stopped() {
  ClusterUpgradeReport r;
  r.plan.steps = {{StepKind::check_health, Stage::preflight, {"", "10.0.0.1:7000"}, {}, "check"},
                  step(StepKind::restart, "10.0.0.4:7000", "restart 10.0.0.4:7000"),
                  step(StepKind::wait_synced, "10.0.0.4:7000", "wait for 10.0.0.4:7000"),
                  step(StepKind::restart, "10.0.0.5:7000", "restart 10.0.0.5:7000"),
                  step(StepKind::wait_synced, "10.0.0.5:7000", "wait for 10.0.0.5:7000")};
  r.steps = {{"check-health", true, milliseconds(3), "10.0.0.1:7000: healthy"},
             {"restart", true, milliseconds(900), "10.0.0.4:7000: exit 0"},
             {"wait-synced", true, milliseconds(1200), "10.0.0.4:7000: synced"},
             {"restart", false, milliseconds(20), "10.0.0.5:7000: exit 3: no such unit"}};
  r.remaining.assign(r.plan.steps.begin() + 3, r.plan.steps.end());
  r.result = ClusterUpgradeResult::failed;
  r.reason = "restart-failed";
  r.detail = "10.0.0.5:7000: exit 3: no such unit";
  r.original_masters = {"m1"};
  r.total = milliseconds(2200);
  return r;
}

}  // namespace

TEST_CASE("cluster upgrade render: a stop says why, then what is left, the failed step first") {
  const std::string text = cluster_upgrade_text(stopped());
  CHECK(text.find("FAILED restart") != std::string::npos);
  CHECK(text.find("upgrade stopped: restart-failed: 10.0.0.5:7000: exit 3: no such unit\n") != std::string::npos);
  const auto left = text.find("left (2 steps");
  REQUIRE(left != std::string::npos);
  CHECK(text.substr(left).find("  - restart 10.0.0.5:7000\n  - wait for 10.0.0.5:7000\n") != std::string::npos);
}

TEST_CASE("cluster upgrade render: the JSON has the plan, the steps with their ms, what is left and the result") {
  const auto j = cluster_upgrade_json(stopped());
  CHECK(j["result"] == "failed");
  CHECK(j["reason"] == "restart-failed");
  CHECK(j["plan"]["steps"].size() == 5);
  CHECK(j["steps"].size() == 4);
  CHECK(j["steps"][1]["ms"] == 900);
  CHECK(j["steps"][3]["ok"] == false);
  REQUIRE(j["remaining"].size() == 2);
  CHECK(j["remaining"][0]["kind"] == "restart");
  CHECK(j["remaining"][0]["node"]["address"] == "10.0.0.5:7000");
  CHECK(j["original_masters"] == nlohmann::json::array({"m1"}));
  CHECK(j["total_ms"] == 2200);
}

TEST_CASE("cluster upgrade render: done, refused and the exit codes") {
  ClusterUpgradeReport done = stopped();
  done.result = ClusterUpgradeResult::done;
  done.remaining.clear();
  CHECK(cluster_upgrade_text(done).find("upgrade done: 4 steps in 2200 ms\n") != std::string::npos);
  CHECK(exit_code(done) == 0);
  CHECK(exit_code(stopped()) == 1);

  ClusterUpgradeReport unusable;
  unusable.result = ClusterUpgradeResult::refused;
  unusable.reason = "state-file-unusable";
  unusable.detail = "/b/cluster-upgrade-state.json: not a JSON object";
  CHECK(cluster_upgrade_text(unusable) == "refused: state-file-unusable: /b/cluster-upgrade-state.json: not a JSON object\n");
  CHECK(exit_code(unusable) == 1);

  ClusterUpgradeReport dry;
  dry.result = ClusterUpgradeResult::dry_run;
  CHECK(exit_code(dry) == 0);
  dry.plan.refusals.push_back({"cluster-state", "cluster_state:fail"});
  CHECK(exit_code(dry) == 1);
  CHECK(cluster_upgrade_text(dry).rfind("upgrade refused:\n", 0) == 0);
}
