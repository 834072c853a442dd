#pragma once
// For targets whose parser reads a file: one private directory per run
// (in /dev/shm when there is one: no disk I/O per input), removed at exit,
// and the input written to the same file name in it each time.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace vipkit::fuzz {

class InputDirectory {
 public:
  InputDirectory() {
    std::string pattern = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
    pattern += "/vipkit-fuzz.XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~InputDirectory() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  InputDirectory(const InputDirectory&) = delete;
  InputDirectory& operator=(const InputDirectory&) = delete;

  const std::string& path() const { return path_; }

  // DIRECTORY/NAME, holding exactly the input.
  std::string write(const std::string& name, const std::uint8_t* data, std::size_t size) const {
    const std::string file = path_ + "/" + name;
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) std::abort();
    return file;
  }

 private:
  std::string path_;
};

}  // namespace vipkit::fuzz
