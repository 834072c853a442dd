#pragma once
// What every binary answers to --version.
#include <CLI/CLI.hpp>
#include <string>
#include <string_view>

namespace vipkit::common {

// "PROGRAM VERSION (git COMMIT)": the version of CMake's project(), the
// commit of `git describe --always --dirty` when the build was configured
// ("unknown" outside a git checkout). One line, as help2man reads it.
std::string version_line(std::string_view program);

// --version: print version_line(app's name) and exit 0.
void add_version_flag(CLI::App& app);

// vipd and vipctl: their `--version N` is the VRRP version, the `version`
// key of every vipd config file. `--version` as the only argument asks for
// the program's version instead, as for every other binary.
bool asks_version(int argc, char** argv);

}  // namespace vipkit::common
