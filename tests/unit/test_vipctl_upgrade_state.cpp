#include <catch2/catch.hpp>

#include <algorithm>

#include "cluster_views.hpp"
#include "vipctl/upgrade_state.hpp"

using namespace vipkit;
using vipctl::parse_upgrade_state;
using vipctl::UpgradeState;

TEST_CASE("upgrade state: what is written is read back") {
  const UpgradeState state{"127.0.0.1:7000", {"aaa", "bbb", "ccc"}, {}};
  const auto back = parse_upgrade_state(vipctl::upgrade_state_text(state));
  REQUIRE(back.ok());
  CHECK(back.value() == state);
}

TEST_CASE("upgrade state: a file that is not a record of original masters is refused with its reason") {
  CHECK(parse_upgrade_state("").error() == "not a JSON object");
  CHECK(parse_upgrade_state("[1, 2]").error() == "not a JSON object");
  CHECK(parse_upgrade_state(R"({"seed": "x"})").error() == "\"original_masters\" missing or not an array");
  CHECK(parse_upgrade_state(R"({"original_masters": []})").error() == "\"original_masters\" is empty");
  CHECK(parse_upgrade_state(R"({"original_masters": ["a", 3]})").error() ==
        "\"original_masters\" holds something other than node ids");
  CHECK(parse_upgrade_state(R"({"original_masters": [""]})").error() ==
        "\"original_masters\" holds something other than node ids");
  CHECK(parse_upgrade_state(R"({"seed": 1, "original_masters": ["a"]})").error() == "\"seed\" is not a string");
  // No seed is fine: it is there for the operator only.
  CHECK(parse_upgrade_state(R"({"original_masters": ["a"]})").value().original_masters ==
        std::vector<std::string>{"a"});
}

TEST_CASE("upgrade state: --state-file, else a file in --backup-dir, else none") {
  CHECK(vipctl::upgrade_state_path("/run/u.json", "/backups") == "/run/u.json");
  CHECK(vipctl::upgrade_state_path("", "/backups") == "/backups/cluster-upgrade-state.json");
  CHECK(vipctl::upgrade_state_path("", "/backups/") == "/backups/cluster-upgrade-state.json");
  CHECK(vipctl::upgrade_state_path("", "").empty());
}

TEST_CASE("upgrade state: the original masters are the masters serving slots, in the view's order") {
  const vipctl::ClusterStatus s = test::healthy_cluster_via("50101");
  const auto masters = vipctl::original_masters_of(s);
  CHECK(masters.size() == 3);
  for (const auto& id : masters) {
    const auto it = std::find_if(s.members.begin(), s.members.end(),
                                 [&](const vipctl::ClusterMember& m) { return m.listed.id == id; });
    REQUIRE(it != s.members.end());
    CHECK(it->listed.is_master());
  }
  CHECK(std::find(masters.begin(), masters.end(), "dbf39c2f9909916448256bfec772f31a3ac09d40") != masters.end());
}

TEST_CASE("upgrade state: the nodes restarted so far are read back and an older file has none") {
  const UpgradeState state{"127.0.0.1:7000", {"aaa", "bbb"}, {"ddd", "eee"}};
  const auto back = parse_upgrade_state(vipctl::upgrade_state_text(state));
  REQUIRE(back.ok());
  CHECK(back.value().restarted == std::vector<std::string>{"ddd", "eee"});
  CHECK(parse_upgrade_state(R"({"original_masters": ["a"]})").value().restarted.empty());
  CHECK(parse_upgrade_state(R"({"original_masters": ["a"], "restarted": "ddd"})").error() ==
        "\"restarted\" missing or not an array");
  CHECK(parse_upgrade_state(R"({"original_masters": ["a"], "restarted": ["ddd", 4]})").error() ==
        "\"restarted\" holds something other than node ids");
}
