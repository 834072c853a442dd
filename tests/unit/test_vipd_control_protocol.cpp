#include <catch2/catch.hpp>

#include "node_builders.hpp"
#include "vrrp/vipd/control_protocol.hpp"

using namespace vipkit;
using namespace vipkit::test;
using vipd::Command;

namespace {
std::string error_of(std::string_view line) { return vipd::parse_request(line).error(); }
}  // namespace

TEST_CASE("control requests", "[vipd][control]") {
  CHECK(*vipd::parse_request(R"({"cmd":"status"})") == Command::status);
  CHECK(*vipd::parse_request(R"({"cmd":"promote"})") == Command::promote);
  CHECK(*vipd::parse_request(R"( {"cmd": "demote", "by": "ops"} )") == Command::demote);
  CHECK(error_of(R"({"cmd":"reboot"})") == "unknown command 'reboot' (status, promote, demote)");
  CHECK(error_of("status") == "request is not JSON");
  CHECK(error_of(R"(["status"])") == "request is not a JSON object");
  CHECK(error_of(R"({"command":"status"})") == "request has no \"cmd\" string");
  CHECK(error_of(R"({"cmd":1})") == "request has no \"cmd\" string");
  CHECK(error_of("") == "request is not JSON");
}

TEST_CASE("control responses", "[vipd][control]") {
  CHECK(vipd::state_response("master") == R"({"ok":true,"state":"master"})");
  CHECK(vipd::error_response("unknown command 'x'") == R"({"error":"unknown command 'x'","ok":false})");

  vipd::StatusReport r;
  r.instance = "redis_16465";
  r.state = "backup";
  r.priority = 100;
  r.effective_priority = 85;
  r.preference = -1;
  r.interface = "eth0";
  r.vrid = 52;
  r.version = 3;
  r.vips = {"192.0.2.100/32"};
  r.master_ip = "192.0.2.12";
  r.healthy = true;
  r.health_reason = "replica-in-sync";
  r.local = replica(history_a, 1200, 10, "192.0.2.12", 16465, true);
  r.counters.adverts_rx = 7;
  r.counters.adverts_tx = 3;
  r.counters.rejected["ttl-not-255"] = 2;
  const auto doc = nlohmann::json::parse(vipd::status_response(r));
  CHECK(doc["ok"] == true);
  CHECK(doc["instance"] == "redis_16465");
  CHECK(doc["state"] == "backup");
  CHECK(doc["priority"] == 100);
  CHECK(doc["effective_priority"] == 85);
  CHECK(doc["preference"] == -1);
  CHECK(doc["interface"] == "eth0");
  CHECK(doc["vrid"] == 52);
  CHECK(doc["version"] == 3);
  CHECK(doc["vips"] == nlohmann::json::array({"192.0.2.100/32"}));
  CHECK(doc["vip_present"] == false);
  CHECK(doc["master_ip"] == "192.0.2.12");
  CHECK(doc["health"]["healthy"] == true);
  CHECK(doc["health"]["reason"] == "replica-in-sync");
  CHECK(doc["health"]["local"]["role"] == "replica");
  CHECK(doc["health"]["local"]["replid"] == history_a);
  CHECK(doc["health"]["local"]["offset"] == 1200);
  CHECK(doc["health"]["local"]["link_up"] == true);
  CHECK(doc["health"]["peer"].is_null());
  CHECK(doc["counters"]["adverts_rx"] == 7);
  CHECK(doc["counters"]["adverts_tx"] == 3);
  CHECK(doc["counters"]["rejected"]["ttl-not-255"] == 2);
  CHECK(doc["last_transition"].is_null());
  CHECK(vipd::status_response(r).find('\n') == std::string::npos);  // one line
}

TEST_CASE("control responses, read by vipctl: what vipd sends, and hostile answers", "[vipd][control]") {
  vipd::StatusReport r;
  r.instance = "redis_16465";
  r.state = "master";
  r.priority = 100;
  r.effective_priority = 130;
  r.preference = 2;
  r.master_ip = "192.0.2.11";
  const auto own = vipd::parse_response(nlohmann::json::parse(vipd::status_response(r)));
  REQUIRE(own.ok());
  CHECK(own->ok);
  CHECK(own->state == "master");
  CHECK(own->effective_priority == 130);
  CHECK(own->preference == 2);
  CHECK(own->master_ip == "192.0.2.11");
  const auto refused = vipd::parse_response(nlohmann::json::parse(vipd::error_response("not healthy: x")));
  REQUIRE(refused.ok());
  CHECK_FALSE(refused->ok);
  CHECK(refused->error == "not healthy: x");

  auto error_of_answer = [](const char* text) {
    const auto parsed = vipd::parse_response(nlohmann::json::parse(text));
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().code == EPROTO);
    return parsed.error().message;
  };
  CHECK(error_of_answer(R"({"ok":"true"})") == "vipd's answer: \"ok\" is string, expected true or false");
  CHECK(error_of_answer(R"({"ok":true,"state":1})") == "vipd's answer: \"state\" is number, expected a string");
  CHECK(error_of_answer(R"({"ok":true,"preference":"2"})") ==
        "vipd's answer: \"preference\" is string, expected an integer");
  CHECK(error_of_answer(R"({"state":"master"})") == "vipd's answer: \"ok\" is missing");
  CHECK(error_of_answer(R"([true])") == "vipd's answer is not a JSON object (it is array)");
}

TEST_CASE("control responses never throw on text that is not UTF-8", "[vipd][control]") {
  const std::string reply = vipd::error_response("not healthy: \xff");
  CHECK(nlohmann::json::parse(reply)["error"] == "not healthy: \xEF\xBF\xBD");
}
