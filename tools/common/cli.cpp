#include "common/cli.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "common/config_lines.hpp"
#include "common/exit_codes.hpp"
#include "common/outside_text.hpp"

namespace vipkit::common {

namespace {
std::string describe(const CLI::ParseError& e) {
  const std::string what = e.what();
  if (auto key = unknown_config_key(what)) return "unknown option '" + *key + "' in the config file";
  return what;
}
}  // namespace

void add_config_option(CLI::App& app) {
  app.set_config("--config", "", "Read options from FILE (`key = value`, key = long option name)");
  // CLI11 accepts unknown keys silently by default; a typo in a config file
  // must be an error, not an ignored setting.
  app.allow_config_extras(CLI::config_extras_mode::error);
}

std::optional<int> parse_or_exit(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    print_error(app.get_name(), describe(e));
    return exit_usage;
  }
  return std::nullopt;
}

void parse_config_file(CLI::App& app, const std::string& path) {
  // The name comes from outside (an instance named on keepalived's FIFO):
  // one too long for a file name is a config error, not a filesystem_error.
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw ConfigError(ec ? fmt::format("config file {}: {}", printable(path), ec.message())
                         : fmt::format("config file {} not found", printable(path)));
  }
  try {
    std::vector<std::string> args = {"--config", path};
    std::reverse(args.begin(), args.end());  // CLI11 parses a reversed vector
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    throw ConfigError(fmt::format("config file {}: {}", path, describe(e)));
  }
}

void print_error(std::string_view program, std::string_view message) {
  fmt::print(stderr, "{}: error: {}\n", program, printable_message(message));
}

int guard_main(std::string_view program, const std::function<int()>& body) {
  try {
    return body();
  } catch (const ConfigError& e) {
    print_error(program, e.what());
    return exit_usage;
  } catch (const std::exception& e) {
    print_error(program, e.what());
    return exit_failed;
  }
}

}  // namespace vipkit::common
