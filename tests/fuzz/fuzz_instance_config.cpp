// libFuzzer target: an instance file (DIR/NAME.conf, --config) is settings
// or a ConfigError — the error channel load_instance and every main catch —
// never another exception nor a crash; and the key-to-line index that points
// an error at its line reads any text.
#include <cstdint>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>

#include "common/cli.hpp"
#include "common/config_lines.hpp"
#include "common/instance_config.hpp"
#include "input_file.hpp"

using namespace vipkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fuzz::InputDirectory directory;
  const std::string path = directory.write("instance.conf", data, size);

  common::InstanceOptions options;
  CLI::App app{"instance config", "fuzz"};
  common::add_instance_options(app, options);
  common::add_config_option(app);
  std::string error;
  try {
    common::parse_config_file(app, path);
    (void)common::resolve_instance(options, "");
  } catch (const common::ConfigError& e) {
    error = e.what();
  }
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  const auto lines = common::config_key_lines(in);
  if (!error.empty()) (void)common::describe_problem(path, lines, common::problem_from_cli11(error));
  return 0;
}
