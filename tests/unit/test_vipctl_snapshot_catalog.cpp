#include <catch2/catch.hpp>

#include "vipctl/snapshot_catalog.hpp"

using namespace vipkit;
using namespace std::chrono_literals;
using vipctl::SnapshotFiles;

namespace {
std::string meta(const std::string& instance, const std::string& time, long long dbsize) {
  return R"({"instance":")" + instance + R"(","time":")" + time +
         R"(","replid":"abc","replid2":"0000","offset":1234,"second_offset":-1,"dbsize":)" +
         std::to_string(dbsize) + R"(,"role":"master","peer":"10.0.0.2:6379"})";
}
}  // namespace

TEST_CASE("snapshot list: rows from the JSON beside each RDB, newest first", "[vipctl][snapshot]") {
  const std::vector<SnapshotFiles> files = {
      {"redis_16465-20261201T100000Z", 2048, meta("redis_16465", "20261201T100000Z", 12)},
      {"redis_16465-20261202T080000Z", 4096, meta("redis_16465", "20261202T080000Z", 1743)},
      {"redis_16465-20261130T235959Z", 100, std::nullopt},  // no JSON: the name still dates it
      {"notes", 10, std::nullopt},                          // no stamp: last
  };
  const auto rows = vipctl::list_snapshots(files);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].base == "redis_16465-20261202T080000Z");
  CHECK(rows[0].keys == 1743);
  CHECK(rows[0].offset == 1234);
  CHECK(rows[0].replid == "abc");
  CHECK(rows[0].rdb_size == 4096u);
  CHECK(vipctl::iso_time(*rows[0].time) == "2026-12-02T08:00:00Z");
  CHECK(rows[1].base == "redis_16465-20261201T100000Z");
  CHECK(rows[2].base == "redis_16465-20261130T235959Z");
  CHECK(rows[2].instance == "redis_16465");
  CHECK_FALSE(rows[2].keys);  // unknown: the RDB is not loaded to count them
  CHECK(rows[2].problem == "no .json");
  CHECK(rows[3].base == "notes");
  CHECK_FALSE(rows[3].time);
}

TEST_CASE("snapshot list: a torn JSON or a missing RDB is named, not fatal", "[vipctl][snapshot]") {
  const auto torn = vipctl::make_row({"r-20261201T100000Z", 10, std::string(R"({"instance":"r","dbsize":"x)")});
  CHECK_FALSE(torn.has_json);
  CHECK(torn.problem.find("r-20261201T100000Z.json") != std::string::npos);
  CHECK(torn.time.has_value());
  const auto wrong_type = vipctl::make_row({"r-20261201T100000Z", 10, std::string(R"({"dbsize":"many"})")});
  CHECK_FALSE(wrong_type.keys);
  CHECK(wrong_type.problem.find("dbsize") != std::string::npos);
  const auto json_only = vipctl::make_row({"r-20261201T100000Z", std::nullopt, meta("r", "20261201T100000Z", 3)});
  CHECK(json_only.problem == "no .rdb");
  CHECK(json_only.keys == 3);
}

TEST_CASE("snapshot stamps and ages parse strictly", "[vipctl][snapshot]") {
  CHECK(vipctl::parse_stamp("20261202T032000Z").has_value());
  CHECK_FALSE(vipctl::parse_stamp("20261202T032000"));
  CHECK_FALSE(vipctl::parse_stamp("2026120xT032000Z"));
  CHECK_FALSE(vipctl::parse_stamp("20261302T032000Z"));
  CHECK(vipctl::parse_age("30s") == 30s);
  CHECK(vipctl::parse_age("15m") == 15min);
  CHECK(vipctl::parse_age("12h") == 12h);
  CHECK(vipctl::parse_age("7d") == 168h);
  CHECK_FALSE(vipctl::parse_age("0d"));
  CHECK_FALSE(vipctl::parse_age("d"));
  CHECK_FALSE(vipctl::parse_age("7w"));
  CHECK_FALSE(vipctl::parse_age("-1d"));
}

TEST_CASE("snapshot prune: --keep N keeps the newest, --older-than D removes the old", "[vipctl][snapshot]") {
  const auto rows = vipctl::list_snapshots({
      {"r-20261202T080000Z", 1, std::nullopt},
      {"r-20261201T080000Z", 1, std::nullopt},
      {"r-20261125T080000Z", 1, std::nullopt},
      {"undated", 1, std::nullopt},
  });
  const auto now = *vipctl::parse_stamp("20261202T090000Z");
  auto names = [](const std::vector<vipctl::SnapshotRow>& selected) {
    std::vector<std::string> out;
    for (const auto& r : selected) out.push_back(r.base);
    return out;
  };
  CHECK(names(select_prune(rows, {2, std::nullopt}, now)) == std::vector<std::string>{"r-20261125T080000Z"});
  CHECK(names(select_prune(rows, {0, std::nullopt}, now)).size() == 3);  // never the undated one
  CHECK(names(select_prune(rows, {std::nullopt, 24h}, now)) ==
        std::vector<std::string>{"r-20261201T080000Z", "r-20261125T080000Z"});
  CHECK(select_prune(rows, {std::nullopt, 30 * 24h}, now).empty());
  CHECK(select_prune(rows, {10, std::nullopt}, now).empty());
}
