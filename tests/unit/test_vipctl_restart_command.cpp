#include <catch2/catch.hpp>

#include "vipctl/restart_command.hpp"

using namespace vipkit;
using vipctl::fill_restart_command;
using vipctl::parse_restart_command;

namespace {

std::string filled(const std::string& text, const std::string& host, int port) {
  const auto command = parse_restart_command(text);
  REQUIRE(command.ok());
  const auto out = fill_restart_command(command.value(), host, port);
  REQUIRE(out.ok());
  return out.value();
}

std::string parse_error(const std::string& text) {
  const auto command = parse_restart_command(text);
  REQUIRE_FALSE(command.ok());
  return command.error().message;
}

std::string fill_error(const std::string& host, int port) {
  const auto command = parse_restart_command("ssh {host} systemctl restart redis@{port}");
  REQUIRE(command.ok());
  const auto out = fill_restart_command(command.value(), host, port);
  REQUIRE_FALSE(out.ok());
  return out.error().message;
}

}  // namespace

TEST_CASE("restart command: {host} and {port} filled in, as often as they appear", "[vipctl][upgrade]") {
  CHECK(filled("ssh {host} systemctl restart redis@{port}", "10.0.0.9", 6480) ==
        "ssh 10.0.0.9 systemctl restart redis@6480");
  CHECK(filled("ssh {host} 'systemctl restart redis@{port}' # {host}:{port}", "redis-a.example", 6479) ==
        "ssh redis-a.example 'systemctl restart redis@6479' # redis-a.example:6479");
  CHECK(filled("./restart-node.sh {port}", "::1", 7000) == "./restart-node.sh 7000");
  CHECK(filled("echo {host}", "fe80::1", 7000) == "echo fe80::1");
  CHECK(filled("echo no placeholder", "127.0.0.1", 7000) == "echo no placeholder");
}

TEST_CASE("restart command: {{ and }} are literal braces", "[vipctl][upgrade]") {
  CHECK(filled("pgrep -f 'redis.*:{port}' | awk '{{print $1}}'", "127.0.0.1", 7000) ==
        "pgrep -f 'redis.*:7000' | awk '{print $1}'");
  CHECK(filled("echo {{host}}", "127.0.0.1", 7000) == "echo {host}");
}

TEST_CASE("restart command: empty, unknown placeholders and stray braces are refused", "[vipctl][upgrade]") {
  CHECK(parse_error("") == "--restart-cmd: the command is empty");
  CHECK(parse_error("  \t") == "--restart-cmd: the command is empty");
  CHECK(parse_error("ssh {hostname} restart") ==
        "--restart-cmd: unknown placeholder {hostname} (known: {host}, {port}; {{ and }} for literal braces)");
  CHECK(parse_error("echo {a,b}").starts_with("--restart-cmd: unknown placeholder {a,b} "));
  CHECK(parse_error("echo {}").starts_with("--restart-cmd: unknown placeholder {} "));
  CHECK(parse_error("ssh {host restart").starts_with("--restart-cmd: '{' at offset 4 is never closed "));
  CHECK(parse_error("awk '{print}'").starts_with("--restart-cmd: unknown placeholder {print} "));
  CHECK(parse_error("echo }").starts_with("--restart-cmd: a lone '}' at offset 5 "));
}

TEST_CASE("restart command: a host or port that is not plain never reaches the shell", "[vipctl][upgrade]") {
  CHECK(fill_error("10.0.0.9; rm -rf /", 6479) ==
        "refusing to put host '10.0.0.9; rm -rf /' into --restart-cmd: not a plain address or host name");
  CHECK_FALSE(fill_error("$(reboot)", 6479).empty());
  CHECK_FALSE(fill_error("`id`", 6479).empty());
  CHECK_FALSE(fill_error("a'b", 6479).empty());
  CHECK_FALSE(fill_error("a b", 6479).empty());
  CHECK_FALSE(fill_error("-oProxyCommand=id", 6479).empty());  // an option to ssh
  CHECK(fill_error("", 6479) == "refusing to put host '' into --restart-cmd: not a plain address or host name");
  CHECK(fill_error("a\nb", 6479) == "refusing to put host 'a\\x0ab' into --restart-cmd: not a plain address or host name");
  CHECK(fill_error("10.0.0.9", 0) == "refusing to put port 0 into --restart-cmd: not 1..65535");
  CHECK(fill_error("10.0.0.9", 65536) == "refusing to put port 65536 into --restart-cmd: not 1..65535");
}
