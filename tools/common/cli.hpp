#pragma once
// CLI11 glue shared by the front-ends: one-line errors, exit code 2 for
// usage/config errors, and a --config file in CLI11's config format where
// every option can be set under its long name.
#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vipkit::common {

// Thrown for configuration faults found after parsing (bad value combination,
// unreadable password file). Caught once in main.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Adds --config FILE (CLI11 config format: `key = value`, key = long option name).
void add_config_option(CLI::App& app);

// Parse argv; on --help/--version prints and returns exit_ok; on error prints
// "PROGRAM: error: WHAT" (one line) and returns exit_usage. nullopt: go on.
std::optional<int> parse_or_exit(CLI::App& app, int argc, char** argv);

// Parse a config file alone into `app` (used by vip-notify --fifo for
// DIR/NAME.conf). Throws ConfigError with the file name and CLI11's reason.
void parse_config_file(CLI::App& app, const std::string& path);

// "PROGRAM: error: MESSAGE" on stderr, one line, the outside values it
// quotes escaped and cut (outside_text.hpp).
void print_error(std::string_view program, std::string_view message);

// The body of a main() after parsing: a ConfigError is the one-line usage
// error (exit 2); any other exception that escapes is a one-line failure
// (exit 1), never an abort with a core.
int guard_main(std::string_view program, const std::function<int()>& body);

}  // namespace vipkit::common
