#pragma once
// A fresh directory under /tmp for tests that need files, removed at scope exit.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace vipkit::test {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char tmpl[] = "/tmp/vipkit-unit-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Write `text` to NAME in the directory; its path.
  std::string write(const std::string& name, const std::string& text) const {
    const auto file = (path / name).string();
    std::ofstream(file) << text;
    return file;
  }
};

}  // namespace vipkit::test
