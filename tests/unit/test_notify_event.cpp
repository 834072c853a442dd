#include <catch.hpp>

#include "vip-notify/event.hpp"

using namespace vipkit;
using notify::parse_arguments;
using notify::parse_fifo_line;

TEST_CASE("explicit form: one state word", "[notify][event]") {
  auto p = parse_arguments({"master"});
  REQUIRE(p.event);
  CHECK(p.event->state == ha::VrrpState::master);
  CHECK(p.event->instance.empty());
  CHECK(p.event->source == "explicit");
  CHECK(parse_arguments({"BACKUP"}).event->state == ha::VrrpState::backup);
  CHECK(parse_arguments({"stop"}).event->state == ha::VrrpState::stop);
  CHECK_FALSE(parse_arguments({"promote"}).event);
  CHECK(parse_arguments({"promote"}).ignored == "unknown state promote (master|backup|fault|stop)");
  CHECK_FALSE(parse_arguments({}).event);
}

TEST_CASE("keepalived generic notify form", "[notify][event]") {
  auto p = parse_arguments({"INSTANCE", "redis_16465", "BACKUP", "90"});
  REQUIRE(p.event);
  CHECK(p.event->instance == "redis_16465");
  CHECK(p.event->state == ha::VrrpState::backup);
  CHECK(p.event->priority == 90);
  CHECK(p.event->source == "notify");
  // keepalived < 2 passes no priority
  CHECK(parse_arguments({"INSTANCE", "x", "FAULT"}).event->state == ha::VrrpState::fault);
  CHECK_FALSE(parse_arguments({"GROUP", "g1", "MASTER", "0"}).event);
  CHECK_FALSE(parse_arguments({"INSTANCE", "x", "MASTER", "300"}).event);
  CHECK_FALSE(parse_arguments({"INSTANCE", "x", "MASTER", "1o"}).event);
}

TEST_CASE("FIFO lines as keepalived writes them", "[notify][event]") {
  auto p = parse_fifo_line(R"(INSTANCE "redis_16465" MASTER 100)");
  REQUIRE(p.event);
  CHECK(p.event->instance == "redis_16465");
  CHECK(p.event->state == ha::VrrpState::master);
  CHECK(p.event->priority == 100);
  CHECK(p.event->source == "fifo");

  CHECK(parse_fifo_line("INSTANCE \"a b\" BACKUP 90\r").event->instance == "a b");
  CHECK(parse_fifo_line(R"(INSTANCE "r" STOP 0)").event->state == ha::VrrpState::stop);
  CHECK(parse_fifo_line(R"(INSTANCE "r" DELETED 0)").event->state == ha::VrrpState::stop);

  SECTION("lines we do not act on say why") {
    CHECK(parse_fifo_line(R"(INSTANCE "r" MASTER_RX_LOWER_PRI 100)").ignored ==
          "state MASTER_RX_LOWER_PRI is not acted on");
    CHECK(parse_fifo_line(R"(GROUP "g" MASTER)").ignored ==
          "sync group event (instances are handled one by one)");
    CHECK(parse_fifo_line("VS 192.0.2.1:80 UP").ignored == "not a VRRP instance event: VS");
    CHECK(parse_fifo_line("").ignored == "empty line");
    CHECK(parse_fifo_line("INSTANCE").ignored == "expected TYPE NAME STATE [PRIORITY]");
    CHECK(parse_fifo_line(R"(INSTANCE "" MASTER 1)").ignored == "empty instance name");
  }
}
