#include <catch2/catch.hpp>

#include "vipctl/snapshot_plan.hpp"

using namespace vipkit;
using vipctl::ConflictPolicy;
using vipctl::KeyClass;
using vipctl::KeyObservation;
using vipctl::MergeAction;

namespace {
// A DUMP payload: value bytes, then RDB version (2 bytes) and CRC64 (8 bytes).
std::string payload(const std::string& value, const std::string& trailer = std::string("\x0a\x00", 2) + "crc64xyz") {
  return value + trailer;
}
KeyObservation key(std::optional<std::string> snapshot, long long pttl, std::optional<std::string> master) {
  return KeyObservation{"k", std::move(snapshot), pttl, std::move(master)};
}
}  // namespace

TEST_CASE("snapshot diff: each key is absent, equal, conflict or expired", "[vipctl][snapshot]") {
  CHECK(classify(key(payload("v0"), -1, std::nullopt)) == KeyClass::absent);
  CHECK(classify(key(payload("v1"), 5000, std::nullopt)) == KeyClass::absent);
  CHECK(classify(key(payload("v1"), -1, payload("v1"))) == KeyClass::equal);
  CHECK(classify(key(payload("v1"), -1, payload("v2"))) == KeyClass::conflict);
  // Gone from the private server between SCAN and DUMP, or PTTL says gone / now.
  CHECK(classify(key(std::nullopt, -2, std::nullopt)) == KeyClass::expired);
  CHECK(classify(key(payload("v1"), -2, std::nullopt)) == KeyClass::expired);
  CHECK(classify(key(payload("v1"), 0, payload("v2"))) == KeyClass::expired);
}

TEST_CASE("snapshot diff: values compare without the RDB version and CRC trailer", "[vipctl][snapshot]") {
  const std::string redis7 = payload("same", std::string("\x0a\x00", 2) + "AAAAAAAA");
  const std::string redis6 = payload("same", std::string("\x09\x00", 2) + "BBBBBBBB");
  CHECK(classify(key(redis7, -1, redis6)) == KeyClass::equal);
  CHECK(vipctl::dump_value_bytes("short") == "short");
  CHECK(vipctl::dump_value_bytes(payload("abc")) == "abc");
}

TEST_CASE("snapshot merge plan: absent restored, conflicts by policy, the rest left", "[vipctl][snapshot]") {
  CHECK(plan_merge(KeyClass::absent, ConflictPolicy::skip) == MergeAction::restore);
  CHECK(plan_merge(KeyClass::absent, ConflictPolicy::snapshot_wins) == MergeAction::restore);
  CHECK(plan_merge(KeyClass::conflict, ConflictPolicy::skip) == MergeAction::skip_conflict);
  CHECK(plan_merge(KeyClass::conflict, ConflictPolicy::snapshot_wins) == MergeAction::restore_replace);
  for (auto policy : {ConflictPolicy::skip, ConflictPolicy::snapshot_wins}) {
    CHECK(plan_merge(KeyClass::equal, policy) == MergeAction::none);
    CHECK(plan_merge(KeyClass::expired, policy) == MergeAction::none);
  }
}

TEST_CASE("snapshot merge plan: RESTORE carries the remaining TTL, REPLACE only for snapshot-wins",
          "[vipctl][snapshot]") {
  const auto ttl = key(payload("v"), 4321, std::nullopt);
  CHECK(restore_command(ttl, MergeAction::restore) ==
        std::vector<std::string>{"RESTORE", "k", "4321", payload("v")});
  const auto forever = key(payload("v"), -1, payload("w"));
  CHECK(restore_command(forever, MergeAction::restore_replace) ==
        std::vector<std::string>{"RESTORE", "k", "0", payload("v"), "REPLACE"});
  CHECK(restore_command(forever, MergeAction::skip_conflict).empty());
  CHECK(restore_command(forever, MergeAction::none).empty());
  CHECK(vipctl::restore_ttl_ms(-1) == 0);
  CHECK(vipctl::restore_ttl_ms(1) == 1);
}

TEST_CASE("snapshot merge: a second run over the merged master restores nothing", "[vipctl][snapshot]") {
  // After the first merge the master holds the snapshot's payload: equal.
  const auto first = key(payload("v"), 900, std::nullopt);
  REQUIRE(plan_merge(classify(first), ConflictPolicy::skip) == MergeAction::restore);
  const auto second = key(payload("v"), 800, payload("v"));
  CHECK(plan_merge(classify(second), ConflictPolicy::skip) == MergeAction::none);
  CHECK(plan_merge(classify(second), ConflictPolicy::snapshot_wins) == MergeAction::none);
}

TEST_CASE("snapshot diff summary: counts every key, samples a bounded number of names", "[vipctl][snapshot]") {
  vipctl::DiffSummary d;
  d.sample_limit = 2;
  for (const char* name : {"a", "b", "c"}) d.add(name, KeyClass::absent);
  d.add("e", KeyClass::equal);
  d.add("x", KeyClass::conflict);
  d.add("t", KeyClass::expired);
  CHECK(d.scanned == 6);
  CHECK(d.absent == 3);
  CHECK(d.absent_sample == std::vector<std::string>{"a", "b"});
  CHECK(d.equal == 1);
  CHECK(d.conflict_sample == std::vector<std::string>{"x"});
  CHECK(d.expired_sample == std::vector<std::string>{"t"});
}

TEST_CASE("snapshot merge: the conflict policy is skip or snapshot-wins", "[vipctl][snapshot]") {
  CHECK(vipctl::parse_conflict_policy("skip") == ConflictPolicy::skip);
  CHECK(vipctl::parse_conflict_policy("snapshot-wins") == ConflictPolicy::snapshot_wins);
  CHECK_FALSE(vipctl::parse_conflict_policy("master-wins"));
  CHECK(to_token(ConflictPolicy::snapshot_wins) == "snapshot-wins");
}

TEST_CASE("snapshot diff: a second look compares sets and hashes unordered, lists and zsets in order",
          "[vipctl][snapshot]") {
  using redis::Reply;
  auto array = [](std::vector<std::string> items) {
    std::vector<Reply> e;
    for (auto& i : items) e.push_back(Reply::make_string(std::move(i)));
    return Reply::make_array(std::move(e));
  };
  CHECK(vipctl::content_command("set", "k") == std::vector<std::string>{"SMEMBERS", "k"});
  CHECK(vipctl::content_command("hash", "k") == std::vector<std::string>{"HGETALL", "k"});
  CHECK(vipctl::content_command("list", "k") == std::vector<std::string>{"LRANGE", "k", "0", "-1"});
  CHECK(vipctl::content_command("zset", "k") == std::vector<std::string>{"ZRANGE", "k", "0", "-1", "WITHSCORES"});
  CHECK_FALSE(vipctl::content_command("string", "k"));
  CHECK_FALSE(vipctl::content_command("stream", "k"));

  // Another hash seed, another bucket order: the same set.
  CHECK(vipctl::same_content("set", array({"x", "y", "z"}), array({"z", "x", "y"})));
  CHECK_FALSE(vipctl::same_content("set", array({"x", "y"}), array({"x", "y", "z"})));
  // Hash pairs stay pairs: a value moved to another field is a change.
  CHECK(vipctl::same_content("hash", array({"f1", "a", "f2", "b"}), array({"f2", "b", "f1", "a"})));
  CHECK_FALSE(vipctl::same_content("hash", array({"f1", "a", "f2", "b"}), array({"f1", "b", "f2", "a"})));
  // Order is the value of a list.
  CHECK(vipctl::same_content("list", array({"a", "b"}), array({"a", "b"})));
  CHECK_FALSE(vipctl::same_content("list", array({"a", "b"}), array({"b", "a"})));
  CHECK(vipctl::same_content("zset", array({"a", "1", "b", "2"}), array({"a", "1", "b", "2"})));
  // The master holds another type.
  CHECK_FALSE(vipctl::same_content("set", array({"x"}), Reply::make_error("WRONGTYPE Operation against a key")));
}
