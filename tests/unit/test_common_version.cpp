#include <catch2/catch.hpp>

#include <regex>

#include "common/version.hpp"

using namespace vipkit;

TEST_CASE("version_line: NAME VERSION (git COMMIT), one line") {
  const std::string line = common::version_line("vipd");
  CHECK(std::regex_match(line, std::regex(R"(vipd [0-9]+\.[0-9]+\.[0-9]+ \(git [^() \n]+\))")));
}

TEST_CASE("add_version_flag: --version through CLI11 prints the line and is a success") {
  CLI::App app{"test", "vip-check"};
  common::add_version_flag(app);
  std::vector<std::string> args = {"--version"};
  try {
    app.parse(args);
    FAIL("--version did not stop the parse");
  } catch (const CLI::CallForVersion& e) {
    CHECK(e.get_exit_code() == 0);
    CHECK(std::string(e.what()) == common::version_line("vip-check"));
  }
}

TEST_CASE("asks_version: --version alone, while with a value or other options it is vipd's VRRP version") {
  auto asks = [](std::vector<std::string> words) {
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    return common::asks_version(static_cast<int>(argv.size()), argv.data());
  };
  CHECK(asks({"vipd", "--version"}));
  CHECK_FALSE(asks({"vipd", "--version", "3"}));
  CHECK_FALSE(asks({"vipd", "--config", "f", "--version"}));
  CHECK_FALSE(asks({"vipd", "--versions"}));
  CHECK_FALSE(asks({"vipd"}));
}
