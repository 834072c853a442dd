#include <catch2/catch.hpp>

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
  CHECK(parse_arguments({"promote"}).ignored == "unknown state 'promote' (master|backup|fault|stop)");
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

  CHECK(parse_fifo_line("INSTANCE \"redis_1\" BACKUP 90\r").event->instance == "redis_1");
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
  SECTION("routine lines are not malformed, others are") {
    CHECK_FALSE(parse_fifo_line(R"(GROUP "g" MASTER)").malformed);
    CHECK_FALSE(parse_fifo_line("RS 192.0.2.2:80 192.0.2.1:80 DOWN").malformed);
    CHECK_FALSE(parse_fifo_line(R"(INSTANCE "r" MASTER_RX_LOWER_PRI 100)").malformed);
    CHECK_FALSE(parse_fifo_line("").malformed);
    CHECK(parse_fifo_line("garbage").malformed);
    CHECK(parse_fifo_line(R"(INSTANCE "r" PROMOTE 100)").ignored == "unknown state 'PROMOTE'");
    CHECK(parse_fifo_line(R"(INSTANCE "r" PROMOTE 100)").malformed);
    CHECK(parse_fifo_line("\x01\xff\x80 \x7f").ignored == "expected TYPE NAME STATE [PRIORITY]");
  }
}

TEST_CASE("an instance name is a file name, never a path", "[notify][event]") {
  const auto path = parse_fifo_line(R"(INSTANCE "../../etc/passwd" MASTER 100)");
  CHECK_FALSE(path.event);
  CHECK(path.malformed);
  CHECK(path.ignored ==
        "instance name ../../etc/passwd cannot be used as a file name (letters, digits and . _ - @ : + only)");
  CHECK(parse_fifo_line(R"(INSTANCE ".." MASTER 100)").ignored ==
        "instance name .. cannot be used as a file name (starts with .)");
  CHECK(parse_fifo_line(R"(INSTANCE "a/b" MASTER 100)").ignored ==
        "instance name a/b cannot be used as a file name (letters, digits and . _ - @ : + only)");
  const std::string huge(100000, 'x');
  const auto long_name = parse_fifo_line("INSTANCE \"" + huge + "\" MASTER 100");
  CHECK_FALSE(long_name.event);
  CHECK(long_name.ignored ==
        "instance name " + std::string(40, 'x') + "...(100000 bytes) is too long (at most 128 bytes)");
  CHECK(parse_arguments({"INSTANCE", "a\x1b[2Jb", "MASTER", "100"}).ignored ==
        "instance name a\\x1b[2Jb cannot be used as a file name (letters, digits and . _ - @ : + only)");
  CHECK(parse_fifo_line(R"(INSTANCE "VI_1.redis@host:6379+x" BACKUP 90)").event);
}

TEST_CASE("values quoted back are escaped and cut", "[notify][event]") {
  const std::string digits(5000, '9');
  CHECK(parse_fifo_line(R"(INSTANCE "r" MASTER )" + digits).ignored ==
        "bad priority '" + std::string(40, '9') + "...(5000 bytes)'");
  CHECK(parse_fifo_line("BOGUS\x01 \"r\" MASTER").ignored == "not a VRRP instance event: 'BOGUS\\x01'");
}
