#include <catch2/catch.hpp>

#include <arpa/inet.h>

#include <sstream>
#include <string>
#include <vector>

#include <spdlog/sinks/ostream_sink.h>

#include "common/preference.hpp"
#include "temp_dir.hpp"
#include "vrrp/vipd/control_commands.hpp"

using namespace vipkit;
using vipd::ControlCommands;
using vipd::InstanceStatus;
using vrrp::State;

namespace {

// The driver's side, recorded: what each command asked of the instance, in order.
struct FakeInstance : vipd::ControlTarget {
  State state = State::backup;
  std::string reason = "replica-in-sync";
  std::vector<std::string> calls;

  State vrrp_state() const override { return state; }
  std::string state_token() const override { return state == State::initialize ? "fault" : std::string(to_token(state)); }
  std::string health_reason() const override { return reason; }
  InstanceStatus status() override {
    calls.push_back("status");
    InstanceStatus s;
    s.state = state_token();
    s.effective_priority = 115;
    s.preference = 1;
    s.vip_present = true;
    s.master_ip_be = htonl(0xC000020B);  // 192.0.2.11
    s.healthy = true;
    s.health_reason = reason;
    s.counters.adverts_rx = 7;
    return s;
  }
  void set_preference(int preference) override { calls.push_back("prefer " + std::to_string(preference)); }
  void take_over(vrrp::TimePoint) override {
    calls.push_back("take-over");
    state = State::master;
  }
  void resign(vrrp::TimePoint) override {
    calls.push_back("resign");
    state = State::backup;
  }
};

vipd::VipdConfig config_in(const std::string& state_dir) {
  vipd::VipdConfig c;
  c.redis.instance = "redis_16465";
  c.redis.state_dir = state_dir;
  c.interface = "eth0";
  c.identity.vrid = 51;
  c.priority = 100;
  c.vips.push_back({htonl(0xC0000264), 24, ""});  // 192.0.2.100/24
  return c;
}

// The commands over a fake instance, with a state dir of their own and the
// log lines (message only) captured.
struct Console {
  test::TempDir dir;
  vipd::VipdConfig config = config_in(dir.path.string());
  std::ostringstream log_lines;
  common::Logger log =
      std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_st>(log_lines));
  FakeInstance instance;
  ControlCommands commands{config, log, instance};

  Console() { log->set_pattern("%v"); }
  std::string answer(std::string_view request) { return commands.answer(request); }
};

}  // namespace

TEST_CASE("control commands: a request that is not one answers the parser's error, logged as invalid",
          "[vipd][control_commands]") {
  Console c;
  CHECK(c.answer("{\"cmd\":\"reboot\"}") ==
        R"j({"error":"unknown command 'reboot' (status, promote, demote)","ok":false})j");
  CHECK(c.log_lines.str() ==
        "control instance=redis_16465 cmd=invalid error=\"unknown command 'reboot' (status, promote, demote)\"\n");
  CHECK(c.instance.calls.empty());
}

TEST_CASE("control commands: promote writes the preference, then takes over", "[vipd][control_commands]") {
  Console c;
  CHECK(c.answer(R"({"cmd":"promote"})") == R"({"ok":true,"state":"master"})");
  CHECK(c.instance.calls ==
        std::vector<std::string>{"prefer " + std::to_string(common::preference_promoted), "take-over"});
  CHECK(c.log_lines.str() == "control instance=redis_16465 cmd=promote state=backup\n");
}

TEST_CASE("control commands: promote out of the election is refused with the health reason, nothing written",
          "[vipd][control_commands]") {
  Console c;
  c.instance.state = State::initialize;
  c.instance.reason = "loading";
  CHECK(c.answer(R"({"cmd":"promote"})") == R"({"error":"not healthy: loading","ok":false})");
  CHECK(c.instance.calls.empty());
}

TEST_CASE("control commands: demote writes the preference, then resigns", "[vipd][control_commands]") {
  Console c;
  c.instance.state = State::master;
  CHECK(c.answer(R"({"cmd":"demote"})") == R"({"ok":true,"state":"backup"})");
  CHECK(c.instance.calls ==
        std::vector<std::string>{"prefer " + std::to_string(common::preference_demoted), "resign"});
}

TEST_CASE("control commands: status is the configuration, the live instance and the state file's last transition",
          "[vipd][control_commands]") {
  Console c;
  SECTION("no state file: a null transition") {
    const auto doc = nlohmann::json::parse(c.answer(R"({"cmd":"status"})"));
    const nlohmann::json expected = {
        {"instance", "redis_16465"}, {"state", "backup"}, {"priority", 100}, {"effective_priority", 115},
        {"preference", 1}, {"interface", "eth0"}, {"vrid", 51}, {"vips", {"192.0.2.100/24"}},
        {"vip_present", true}, {"master_ip", "192.0.2.11"},
    };
    for (const auto& [key, value] : expected.items()) CHECK(doc[key] == value);
    CHECK(doc["health"]["healthy"] == true);
    CHECK(doc["health"]["reason"] == "replica-in-sync");
    CHECK(doc["counters"]["adverts_rx"] == 7);
    CHECK(doc["last_transition"].is_null());
    CHECK(c.instance.calls == std::vector<std::string>{"status"});
  }
  SECTION("the state file's last transition, as it is") {
    c.dir.write("redis_16465.json", R"({"last":{"event":"promote","result":"ok"}})");
    const auto doc = nlohmann::json::parse(c.answer(R"({"cmd":"status"})"));
    CHECK(doc["last_transition"] == nlohmann::json{{"event", "promote"}, {"result", "ok"}});
  }
}

TEST_CASE("control commands: no master seen yet is an empty master_ip", "[vipd][control_commands]") {
  InstanceStatus live;
  live.state = "fault";
  const auto report = vipd::status_report(config_in("/nonexistent"), live, nullptr);
  CHECK(report.master_ip.empty());
  CHECK(report.state == "fault");
  CHECK(report.last_transition.is_null());
}
