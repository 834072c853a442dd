#include <catch2/catch.hpp>

#include "common/json_fields.hpp"

using namespace vipkit;
using common::JsonFields;
using nlohmann::json;

TEST_CASE("json fields: typed reads, the first mismatch named", "[common][json]") {
  SECTION("fields of the right type, missing ones as the fallback") {
    const json doc = {{"s", "x"}, {"n", 7}, {"b", true}, {"o", json::object()}, {"a", json::array()}};
    JsonFields f(doc, "doc");
    CHECK(f.text("s") == "x");
    CHECK(f.integer("n") == 7);
    CHECK(f.boolean("b"));
    CHECK(f.object("o") != nullptr);
    CHECK(f.array("a") != nullptr);
    CHECK(f.text("absent", "-") == "-");
    CHECK(f.integer("absent", 3) == 3);
    CHECK(f.object("absent") == nullptr);
    CHECK_FALSE(f.error());
  }
  SECTION("a field of another type reads as the fallback and is the error") {
    const json doc = {{"state", 5}, {"priority", "high"}, {"ok", "yes"}};
    JsonFields f(doc, "vipd's answer");
    CHECK(f.text("state") == "");
    CHECK(f.integer("priority", 1) == 1);
    CHECK_FALSE(f.boolean("ok"));
    REQUIRE(f.error());
    CHECK(*f.error() == "vipd's answer: \"state\" is number, expected a string");  // the first one
  }
  SECTION("a float is not an integer, an array not an object") {
    const json doc = {{"n", 1.5}, {"o", json::array()}};
    JsonFields f(doc, "d");
    CHECK(f.integer("n") == 0);
    CHECK(f.object("o") == nullptr);
    CHECK(*f.error() == "d: \"n\" is number, expected an integer");
  }
  SECTION("a missing required field") {
    const json doc = json::object();
    JsonFields f(doc, "d");
    f.require({"ok", "state"});
    CHECK(*f.error() == "d: \"ok\" is missing");
  }
  SECTION("not an object: every read is the fallback") {
    for (const json& doc : {json(nullptr), json(3), json("text"), json::array({1, 2})}) {
      JsonFields f(doc, "d");
      f.require({"ok"});
      CHECK(f.text("state", "-") == "-");
      CHECK(f.array("history") == nullptr);
      REQUIRE(f.error());
      CHECK_THAT(*f.error(), Catch::StartsWith("d is not a JSON object (it is "));
    }
  }
}

TEST_CASE("json text: bytes that are not UTF-8 do not throw", "[common][json]") {
  const json doc = {{"error", std::string("Protocol error: \xff\xfe")}};
  CHECK_THROWS(doc.dump());
  CHECK(common::json_text(doc) == "{\"error\":\"Protocol error: \xEF\xBF\xBD\xEF\xBF\xBD\"}");
}
