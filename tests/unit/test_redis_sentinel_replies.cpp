#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "redis/sentinel_replies.hpp"

using namespace vipkit;
using namespace vipkit::test;
using redis::Reply;

namespace {

Reply strings(std::initializer_list<const char*> items) {
  std::vector<Reply> elements;
  for (const char* s : items) elements.push_back(Reply::make_string(s));
  return Reply::make_array(std::move(elements));
}

std::string master_error(const Reply& reply) {
  const auto m = redis::parse_sentinel_master(reply);
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().code == redis::ErrorCode::protocol);
  return m.error().message;
}

std::string addr_error(const Reply& reply) {
  const auto a = redis::parse_master_addr(reply);
  REQUIRE_FALSE(a.ok());
  CHECK(a.error().code == redis::ErrorCode::protocol);
  return a.error().message;
}

// The pub/sub messages as redis-cli printed them: after the PSUBSCRIBE
// confirmation (3 lines), "pmessage", the pattern, the channel, the payload.
std::vector<std::pair<std::string, std::string>> captured_events(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto eol = text.find('\n', start);
    lines.push_back(text.substr(start, eol - start));
    if (eol == std::string::npos) break;
    start = eol + 1;
  }
  std::vector<std::pair<std::string, std::string>> events;
  for (std::size_t i = 3; i + 3 < lines.size() && lines[i] == "pmessage"; i += 4) {
    events.emplace_back(lines[i + 2], lines[i + 3]);
  }
  return events;
}

}  // namespace

TEST_CASE("SENTINEL get-master-addr-by-name of a monitored master", "[redis][sentinel]") {
  const auto addr = redis::parse_master_addr(json_fixture("sentinel/get-master-addr.json"));
  REQUIRE(addr.ok());
  REQUIRE(addr->has_value());
  CHECK((*addr)->host == "127.0.0.1");
  CHECK((*addr)->port == 54963);

  const auto after = redis::parse_master_addr(json_fixture("sentinel/get-master-addr-after-failover.json"));
  REQUIRE(after.ok());
  CHECK((*after)->port == 45895);
}

TEST_CASE("SENTINEL get-master-addr-by-name of an unknown name is nil, not an error", "[redis][sentinel]") {
  const auto addr = redis::parse_master_addr(json_fixture("sentinel/get-master-addr-unknown.json"));
  REQUIRE(addr.ok());
  CHECK_FALSE(addr->has_value());
}

TEST_CASE("SENTINEL get-master-addr-by-name of a hostile shape is an error", "[redis][sentinel]") {
  CHECK(addr_error(Reply::make_integer(1)) == "unexpected SENTINEL get-master-addr-by-name reply: not an array");
  CHECK(addr_error(strings({"127.0.0.1"})) == "unexpected SENTINEL get-master-addr-by-name reply: not [ip, port]");
  CHECK(addr_error(strings({"127.0.0.1", "6379", "x"})) ==
        "unexpected SENTINEL get-master-addr-by-name reply: not [ip, port]");
  CHECK(addr_error(Reply::make_array({Reply::make_string("127.0.0.1"), Reply::make_integer(6379)})) ==
        "unexpected SENTINEL get-master-addr-by-name reply: ip or port is not text");
  CHECK(addr_error(strings({"127.0.0.1", "65536"})) ==
        "unexpected SENTINEL get-master-addr-by-name reply: bad address 127.0.0.1 65536");
  CHECK(addr_error(strings({"127.0.0.1", "99999999999999999999999"})).find("bad address") != std::string::npos);
  CHECK(addr_error(strings({"127.0.0.1", "0"})).find("bad address") != std::string::npos);
  CHECK(addr_error(strings({"", "6379"})).find("bad address") != std::string::npos);
  CHECK(addr_error(strings({"a b", "6379"})).find("bad address") != std::string::npos);
  CHECK(addr_error(strings({"127.0.0.1", "6379 "})).find("bad address") != std::string::npos);
}

TEST_CASE("SENTINEL master of a healthy master", "[redis][sentinel]") {
  const auto m = redis::parse_sentinel_master(json_fixture("sentinel/master.json"));
  REQUIRE(m.ok());
  CHECK(m->name == "vipkit");
  CHECK(m->address == redis::Endpoint{"127.0.0.1", 54963, ""});
  CHECK(m->flags == std::vector<std::string>{"master"});
  CHECK(m->config_epoch == 0);
  CHECK(m->num_other_sentinels == 2);
  CHECK(m->quorum == 2);
  CHECK(m->num_slaves == 1);
  CHECK(m->failover_state.empty());
  CHECK_FALSE(m->s_down());
  CHECK_FALSE(m->o_down());
  CHECK_FALSE(m->failover_in_progress());
}

TEST_CASE("SENTINEL master after failovers: the config epoch rises", "[redis][sentinel]") {
  const auto first = redis::parse_sentinel_master(json_fixture("sentinel/master-after-failover.json"));
  REQUIRE(first.ok());
  CHECK(first->address.port == 45895);
  CHECK(first->config_epoch == 1);
  const auto second = redis::parse_sentinel_master(json_fixture("sentinel/master-after-kill.json"));
  REQUIRE(second.ok());
  CHECK(second->address.port == 54963);
  CHECK(second->config_epoch == 2);
}

TEST_CASE("SENTINEL master of a master going down, then failing over", "[redis][sentinel]") {
  const auto sdown = redis::parse_sentinel_master(json_fixture("sentinel/master-sdown.json"));
  REQUIRE(sdown.ok());
  CHECK(sdown->s_down());
  CHECK_FALSE(sdown->o_down());
  CHECK(sdown->has_flag("disconnected"));
  CHECK_FALSE(sdown->failover_in_progress());

  const auto failing = redis::parse_sentinel_master(json_fixture("sentinel/master-failover-in-progress.json"));
  REQUIRE(failing.ok());
  CHECK(failing->s_down());
  CHECK(failing->o_down());
  CHECK(failing->failover_in_progress());
  CHECK(failing->failover_state == "wait_start");
  CHECK(failing->address.port == 45895);  // the old master until the switch
}

TEST_CASE("SENTINEL master of a hostile shape is an error", "[redis][sentinel]") {
  const std::string prefix = "unexpected SENTINEL master reply: ";
  CHECK(master_error(Reply::make_string("master")) == prefix + "not an array");
  CHECK(master_error(strings({"name", "vipkit", "ip"})) == prefix + "odd number of field/value elements");
  CHECK(master_error(Reply::make_array({Reply::make_string("name"), Reply::make_integer(1)})) ==
        prefix + "a field or value is not text");
  CHECK(master_error(Reply::make_array({Reply::make_array({}), Reply::make_string("x")})) ==
        prefix + "a field or value is not text");
  CHECK(master_error(strings({"name", "vipkit"})) == prefix + "no ip field");

  const auto base = [](const char* epoch, const char* others, const char* port) {
    return strings({"name", "vipkit", "ip", "10.0.0.1", "port", port, "flags", "master", "config-epoch", epoch,
                    "num-other-sentinels", others, "quorum", "2"});
  };
  REQUIRE(redis::parse_sentinel_master(base("18446744073709551615", "2", "6379")).ok());
  CHECK(master_error(base("18446744073709551616", "2", "6379")) ==
        prefix + "config-epoch is not a count: 18446744073709551616");
  CHECK(master_error(base("-1", "2", "6379")) == prefix + "config-epoch is not a count: -1");
  CHECK(master_error(base("1", "-2", "6379")) == prefix + "num-other-sentinels is not a count: -2");
  CHECK(master_error(base("1", "99999999999", "6379")) ==
        prefix + "num-other-sentinels is not a count: 99999999999");
  CHECK(master_error(base("1x", "2", "6379")) == prefix + "config-epoch is not a count: 1x");
  CHECK(master_error(base("1", "2", "70000")) == prefix + "bad address 10.0.0.1 70000");
  CHECK(master_error(strings({"name", "vipkit", "ip", "10.0.0.1", "port", "6379", "flags", "master",
                              "num-other-sentinels", "2", "quorum", "2"})) ==
        prefix + "no config-epoch field");
}

TEST_CASE("Sentinel events captured during two failovers", "[redis][sentinel]") {
  const auto events = captured_events(fixture("sentinel/events-failover.txt"));
  REQUIRE(events.size() == 12);
  int switches = 0;
  for (const auto& [channel, payload] : events) {
    if (channel == "+vote-for-leader") continue;  // not a master event: no name to re-check
    const auto e = redis::parse_sentinel_event(channel, payload);
    INFO(channel << " " << payload);
    REQUIRE(e.ok());
    CHECK(e->channel == channel);
    if (channel == "+new-epoch") {
      CHECK(e->master_name.empty());
      continue;
    }
    CHECK(e->master_name == "vipkit");
    if (channel == "+switch-master") ++switches;
  }
  CHECK(switches == 2);

  const auto first = redis::parse_sentinel_event("+switch-master", "vipkit 127.0.0.1 54963 127.0.0.1 45895");
  REQUIRE(first.ok());
  CHECK(first->old_master == redis::Endpoint{"127.0.0.1", 54963, ""});
  CHECK(first->new_master == redis::Endpoint{"127.0.0.1", 45895, ""});

  const auto odown = redis::parse_sentinel_event("+odown", "master vipkit 127.0.0.1 45895 #quorum 3/2");
  REQUIRE(odown.ok());
  CHECK(odown->master_name == "vipkit");
  CHECK_FALSE(odown->new_master.has_value());
}

TEST_CASE("Sentinel events of a hostile shape are errors", "[redis][sentinel]") {
  const auto error_of = [](std::string_view channel, std::string_view payload) {
    const auto e = redis::parse_sentinel_event(channel, payload);
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == redis::ErrorCode::protocol);
    return e.error().message;
  };
  CHECK(error_of("+switch-master", "vipkit 127.0.0.1 1 127.0.0.1") ==
        "unexpected Sentinel event +switch-master reply: not <name> <oldip> <oldport> <newip> <newport>");
  CHECK(error_of("+switch-master", "vipkit 127.0.0.1 1 127.0.0.1 99999") ==
        "unexpected Sentinel event +switch-master reply: bad address");
  CHECK(error_of("+new-epoch", "x") == "unexpected Sentinel event +new-epoch reply: not an epoch");
  CHECK(error_of("+odown", "") == "unexpected Sentinel event +odown reply: not <type> <name> <ip> <port>");
  CHECK(error_of("+sdown", "slave 127.0.0.1:1 127.0.0.1 1") ==
        "unexpected Sentinel event +sdown reply: no \"@ <master> <ip> <port>\"");
  CHECK(error_of("message", "master vipkit 127.0.0.1 1") ==
        "unexpected Sentinel event message reply: not an event name");
}
