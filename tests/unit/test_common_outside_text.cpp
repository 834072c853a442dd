#include <catch2/catch.hpp>

#include "common/log.hpp"
#include "common/outside_text.hpp"

using namespace vipkit::common;

TEST_CASE("printable escapes control and non-ASCII bytes", "[common][outside]") {
  CHECK(printable("redis_16465") == "redis_16465");
  CHECK(printable(std::string("a\0b", 3)) == "a\\x00b");
  CHECK(printable("\x1b[2J\r\n\t") == "\\x1b[2J\\x0d\\x0a\\x09");
  CHECK(printable("\x7f\x80\xff") == "\\x7f\\x80\\xff");
  CHECK(printable("back\\slash") == "back\\slash");
  CHECK(printable(printable("a\x01b")) == printable("a\x01b"));
}

TEST_CASE("printable cuts a long value and says its length", "[common][outside]") {
  CHECK(printable(std::string(10, 'x'), 10) == std::string(10, 'x'));
  CHECK(printable(std::string(11, 'x'), 10) == std::string(10, 'x') + "...(11 bytes)");
  CHECK(printable(std::string(1000000, '\x01')).size() < 1000);
}

TEST_CASE("printable_message cuts long words, keeps the reason", "[common][outside]") {
  const std::string msg = "--port: value " + std::string(5000, '9') + " not in range [1 - 65535]";
  CHECK(printable_message(msg) == "--port: value " + std::string(64, '9') + "...(5000 bytes) not in range [1 - 65535]");
  CHECK(printable_message("bad\x01 line") == "bad\\x01 line");
}

TEST_CASE("kv_value escapes, cuts and quotes", "[common][log]") {
  CHECK(kv_value("plain") == "plain");
  CHECK(kv_value("two words") == "\"two words\"");
  CHECK(kv_value("say \"hi\"") == "\"say \\\"hi\\\"\"");
  CHECK(kv_value("line\nbreak") == "line\\x0abreak");
  CHECK(kv_value("") == "\"\"");
  CHECK(kv_value(std::string(600, 'y')) == "\"" + std::string(kv_value_limit, 'y') + "...(600 bytes)\"");
}
