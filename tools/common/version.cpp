#include "common/version.hpp"

#include <fmt/format.h>

#include "common/build_info.hpp"

namespace vipkit::common {

std::string version_line(std::string_view program) {
  return fmt::format("{} {} (git {})", program, build_info::version, build_info::commit);
}

void add_version_flag(CLI::App& app) {
  app.set_version_flag("--version", version_line(app.get_name()), "Print the version and git commit, and exit");
}

bool asks_version(int argc, char** argv) { return argc == 2 && std::string_view(argv[1]) == "--version"; }

}  // namespace vipkit::common
