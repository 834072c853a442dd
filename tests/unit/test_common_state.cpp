#include <catch2/catch.hpp>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/instance_lock.hpp"
#include "common/state_file.hpp"
#include "temp_dir.hpp"

using namespace vipkit;
using namespace std::chrono_literals;

using test::TempDir;

TEST_CASE("state file keeps the last transition and a bounded history", "[common][state]") {
  TempDir dir;
  const std::string d = dir.path.string();
  CHECK(common::read_state(d, "r1").empty());
  for (int i = 0; i < 25; ++i) {
    REQUIRE(common::record_transition(d, "r1", {{"seq", i}, {"action", "promote"}}).ok());
  }
  const auto doc = common::read_state(d, "r1");
  CHECK(doc["instance"] == "r1");
  CHECK(doc["last"]["seq"] == 24);
  REQUIRE(doc["history"].size() == common::state_history_length);
  CHECK(doc["history"][0]["seq"] == 5);
  // Written through a temp file + rename: nothing else is left behind.
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path)) {
    names.push_back(entry.path().filename().string());
  }
  CHECK(names == std::vector<std::string>{"r1.json"});
}

TEST_CASE("a torn state file is replaced, not fatal", "[common][state]") {
  TempDir dir;
  std::ofstream(dir.path / "r1.json") << "{\"last\": {";
  CHECK(common::read_state(dir.path.string(), "r1").empty());
  REQUIRE(common::record_transition(dir.path.string(), "r1", {{"seq", 1}}).ok());
  CHECK(common::read_state(dir.path.string(), "r1")["last"]["seq"] == 1);
}

TEST_CASE("instance lock is exclusive and released on destruction", "[common][lock]") {
  TempDir dir;
  const std::string d = dir.path.string();
  {
    auto first = common::InstanceLock::acquire(d, "r1", 100ms);
    REQUIRE(first.ok());
    auto second = common::InstanceLock::acquire(d, "r1", 50ms);
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().code == ETIMEDOUT);
    CHECK_THAT(second.error().message, Catch::Contains("r1.lock"));
    // Another instance is independent.
    CHECK(common::InstanceLock::acquire(d, "r2", 50ms).ok());
  }
  CHECK(common::InstanceLock::acquire(d, "r1", 50ms).ok());
}

TEST_CASE("state file as read by vipctl: missing, torn, unreadable", "[common][state]") {
  TempDir dir;
  const std::string d = dir.path.string();
  const auto none = common::load_state(d, "r1");
  REQUIRE(none.ok());
  CHECK(none.value() == nlohmann::json::object());
  dir.write("r1.json", R"({"instance":"r1","last":{"sta)");
  const auto torn = common::load_state(d, "r1");
  REQUIRE_FALSE(torn.ok());
  CHECK(torn.error().code == EINVAL);
  CHECK_THAT(torn.error().message,
             Catch::StartsWith("state file " + d + "/r1.json is not JSON: parse error at line 1, column "));
  CHECK(torn.error().message.find('\n') == std::string::npos);
  // Writers start afresh from a torn file.
  CHECK(common::read_state(d, "r1") == nlohmann::json::object());
  // Found by tests/fuzz/fuzz_state_file.cpp: nlohmann throws out_of_range,
  // not parse_error, for a number beyond a double.
  dir.write("r3.json", R"({"last":{"seq":1e400}})");
  const auto overflow = common::load_state(d, "r3");
  REQUIRE_FALSE(overflow.ok());
  CHECK(overflow.error().message == "state file " + d + "/r3.json is not JSON: number overflow parsing '1e400'");
  CHECK(common::read_state(d, "r3") == nlohmann::json::object());
  dir.write("r2.json", "[1]");
  CHECK(common::load_state(d, "r2").value() == nlohmann::json::array({1}));  // any shape: the reader checks
  CHECK(common::read_state(d, "r2") == nlohmann::json::object());
}
