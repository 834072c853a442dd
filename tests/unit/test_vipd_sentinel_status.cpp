// leader = sentinel, vipd's pure pieces: which published messages wake the
// follower (sentinel_listener.hpp), the status answer and which rounds are
// news for the log (sentinel_status.hpp).
#include <arpa/inet.h>

#include <catch2/catch.hpp>

#include "vrrp/vipd/sentinel_listener.hpp"
#include "vrrp/vipd/sentinel_status.hpp"

using namespace vipkit;
using redis::Reply;

namespace {

Reply message(const std::string& channel, const std::string& payload) {
  return Reply::make_array({Reply::make_string("message"), Reply::make_string(channel), Reply::make_string(payload)});
}

vipd::SentinelRound round_with(ha::VipAction vip, std::string_view reason, std::uint64_t epoch) {
  vipd::SentinelRound r;
  r.decision.vip = vip;
  r.decision.reason = reason;
  r.decision.epoch = epoch;
  return r;
}

}  // namespace

TEST_CASE("sentinel events that wake the follower", "[vipd][sentinel]") {
  // As redis-sentinel 7.0 publishes them (tests/unit/fixtures/sentinel/events-failover.txt).
  CHECK(vipd::event_wakes(message("+switch-master", "vipkit 127.0.0.1 54963 127.0.0.1 45895"), "vipkit"));
  CHECK(vipd::event_wakes(
      message("+config-update-from", "sentinel 5f18ebc0905f9a6b4446c5f6747f7d0d6a37e59c 127.0.0.1 46495 @ vipkit "
                                     "127.0.0.1 54963"),
      "vipkit"));
  CHECK(vipd::event_wakes(message("+odown", "master vipkit 127.0.0.1 54963 #quorum 2/2"), "vipkit"));
  CHECK(vipd::event_wakes(message("+new-epoch", "1"), "vipkit"));  // names no master: ask anyway

  SECTION("another master name is not ours") {
    CHECK_FALSE(vipd::event_wakes(message("+switch-master", "other 127.0.0.1 1 127.0.0.1 2"), "vipkit"));
    CHECK_FALSE(vipd::event_wakes(message("+odown", "master other 127.0.0.1 1 #quorum 2/2"), "vipkit"));
  }
  SECTION("not events: confirmations, PONG, channels we did not subscribe to") {
    CHECK_FALSE(vipd::event_wakes(Reply::make_array({Reply::make_string("subscribe"),
                                                     Reply::make_string("+switch-master"), Reply::make_integer(1)}),
                                  "vipkit"));
    CHECK_FALSE(vipd::event_wakes(Reply::make_array({Reply::make_string("pong"), Reply::make_string("")}), "vipkit"));
    CHECK_FALSE(vipd::event_wakes(message("+slave", "slave 127.0.0.1:1 127.0.0.1 1 @ vipkit 127.0.0.1 2"), "vipkit"));
    CHECK_FALSE(vipd::event_wakes(Reply::make_status("OK"), "vipkit"));
    CHECK_FALSE(vipd::event_wakes(Reply::make_array({}), "vipkit"));
  }
  SECTION("a known channel with a payload that does not parse: ask again rather than miss a switch") {
    CHECK(vipd::event_wakes(message("+switch-master", "garbage"), "vipkit"));
    CHECK(vipd::event_wakes(Reply::make_array({Reply::make_string("message"), Reply::make_string("+odown"),
                                               Reply::make_integer(3)}),
                            "vipkit"));
  }
}

TEST_CASE("sentinel rounds that are news for the log", "[vipd][sentinel]") {
  const auto holding = round_with(ha::VipAction::hold, "local-elected", 1);
  CHECK(vipd::round_is_news(holding, std::nullopt));  // the first
  CHECK_FALSE(vipd::round_is_news(holding, holding));
  CHECK(vipd::round_is_news(round_with(ha::VipAction::release, "other-elected", 2), holding));
  CHECK(vipd::round_is_news(round_with(ha::VipAction::hold, "local-elected", 2), holding));  // the epoch moved
  CHECK(vipd::round_is_news(round_with(ha::VipAction::hold, "quorum-lost-keep", 1), holding));
  auto failed = holding;
  failed.fence_error = "ERR unknown subcommand";
  CHECK(vipd::round_is_news(failed, holding));  // a failing fence is said every time
}

TEST_CASE("sentinel status answer", "[vipd][sentinel]") {
  vipd::VipdConfig config;
  config.redis.instance = "redis_16465";
  config.interface = "eth0";
  config.vips.push_back({htonl(0xc0000264u), 24, ""});  // 192.0.2.100/24
  vipd::SentinelConfig sentinel;
  sentinel.sentinels = {{"192.0.2.11", 26379, ""}, {"192.0.2.12", 26379, ""}};
  sentinel.master_name = "vipkit";
  config.sentinel = sentinel;

  const auto before = vipd::sentinel_status(config, std::nullopt, false, false, 0);
  CHECK(before["leader"] == "sentinel");
  CHECK(before["state"] == "backup");
  CHECK(before["sentinel"].is_null());

  vipd::SentinelRound r = round_with(ha::VipAction::hold, "local-elected", 3);
  r.local_role = ha::LocalRole::master;
  r.decision.elected = redis::Endpoint{"192.0.2.11", 16465, ""};
  r.reports = {ha::SentinelReport::names({"192.0.2.11", 16465, ""}, 3), ha::SentinelReport::unreachable()};
  const auto now = vipd::sentinel_status(config, r, true, true, 12.5);
  CHECK(now["state"] == "master");
  CHECK(now["vip_present"] == true);
  CHECK(now["sentinel"]["elected"] == "192.0.2.11:16465");
  CHECK(now["sentinel"]["epoch"] == 3);
  CHECK(now["sentinel"]["local_role"] == "master");
  REQUIRE(now["sentinel"]["sentinels"].size() == 2);
  CHECK(now["sentinel"]["sentinels"][0]["answer"] == "192.0.2.11:16465 epoch=3");
  CHECK(now["sentinel"]["sentinels"][1]["address"] == "192.0.2.12:26379");
  CHECK(now["sentinel"]["sentinels"][1]["answer"] == "unreachable");
}

TEST_CASE("sentinel metrics page", "[vipd][sentinel]") {
  vipd::VipdConfig config;
  config.redis.instance = "redis_16465";
  config.interface = "eth0";
  vipd::SentinelConfig sentinel;
  sentinel.sentinels = {{"192.0.2.11", 26379, ""}, {"192.0.2.12", 26379, ""}, {"192.0.2.13", 26379, ""}};
  config.sentinel = sentinel;
  vipd::SentinelCounters counters;
  counters.rounds["reconcile"] = 7;
  counters.rounds["+switch-master"] = 1;

  const std::string empty = vipd::sentinel_metrics_text(config, std::nullopt, false, false, 0, counters);
  CHECK_THAT(empty, Catch::Contains("vipkit_sentinel_vip_held{instance=\"redis_16465\",interface=\"eth0\"} 0\n"));
  CHECK_THAT(empty, Catch::Contains("vipkit_sentinel_configured{instance=\"redis_16465\",interface=\"eth0\"} 3\n"));
  CHECK_THAT(empty, !Catch::Contains("vipkit_sentinel_decision_info{"));  // no round yet: no sample

  vipd::SentinelRound r = round_with(ha::VipAction::release, "other-elected", 4);
  r.local_role = ha::LocalRole::replica;
  r.decision.views = 2;
  r.decision.elected = redis::Endpoint{"192.0.2.12", 16465, ""};
  r.reports = {ha::SentinelReport::names({"192.0.2.12", 16465, ""}, 4), ha::SentinelReport::unreachable(),
               ha::SentinelReport::names({"192.0.2.12", 16465, ""}, 4)};
  const std::string page = vipd::sentinel_metrics_text(config, r, false, false, 12.5, counters);
  CHECK_THAT(page, Catch::Contains("vipkit_sentinel_views{instance=\"redis_16465\",interface=\"eth0\"} 2\n"));
  CHECK_THAT(page, Catch::Contains("vipkit_sentinel_config_epoch{instance=\"redis_16465\",interface=\"eth0\"} 4\n"));
  CHECK_THAT(page, Catch::Contains("vipkit_sentinel_decision_info{instance=\"redis_16465\",interface=\"eth0\",vip="
                                   "\"release\",reason=\"other-elected\",elected=\"192.0.2.12:16465\",local_role="
                                   "\"replica\"} 1\n"));
  CHECK_THAT(page, Catch::Contains("vipkit_sentinel_up{instance=\"redis_16465\",interface=\"eth0\",sentinel="
                                   "\"192.0.2.12:26379\"} 0\n"));
  CHECK_THAT(page, Catch::Contains("vipkit_sentinel_rounds_total{instance=\"redis_16465\",interface=\"eth0\","
                                   "trigger=\"+switch-master\"} 1\n"));
  CHECK_THAT(page, Catch::Contains("vipkit_last_transition_timestamp_seconds{instance=\"redis_16465\",interface="
                                   "\"eth0\"} 12.500\n"));
}
