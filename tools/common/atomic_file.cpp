#include "common/atomic_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace vipkit::common {

redis::Status write_file_atomically(const std::string& path, const std::string& content, std::optional<mode_t> mode) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << content;
    out.flush();
    if (!out) return redis::Error{redis::ErrorCode::io, "write " + tmp + ": " + std::strerror(errno)};
  }
  if (mode && ::chmod(tmp.c_str(), *mode) != 0) {
    return redis::Error{redis::ErrorCode::io, "chmod " + tmp + ": " + std::strerror(errno)};
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return redis::Error{redis::ErrorCode::io, "rename " + tmp + ": " + ec.message()};
  return redis::Done{};
}

}  // namespace vipkit::common
