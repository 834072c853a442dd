#include <catch.hpp>

#include "node_builders.hpp"
#include "vrrp/vipd/control_protocol.hpp"

using namespace vipkit;
using namespace vipkit::test;
using vipd::Command;

namespace {
std::string error_of(std::string_view line) { return std::get<std::string>(vipd::parse_request(line)); }
}  // namespace

TEST_CASE("control requests", "[vipd][control]") {
  CHECK(std::get<Command>(vipd::parse_request(R"({"cmd":"status"})")) == Command::status);
  CHECK(std::get<Command>(vipd::parse_request(R"({"cmd":"promote"})")) == Command::promote);
  CHECK(std::get<Command>(vipd::parse_request(R"( {"cmd": "demote", "by": "ops"} )")) == Command::demote);
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
