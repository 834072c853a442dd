#include "vrrp/vipd/preference.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "common/atomic_file.hpp"

namespace vipkit::vipd {

std::uint8_t effective_priority(std::uint8_t priority, int preference, int prefer_weight) {
  if (priority == 255) return priority;
  const int wanted = static_cast<int>(priority) + prefer_weight * preference;
  return static_cast<std::uint8_t>(std::clamp(wanted, 1, 254));
}

redis::Result<int> read_preference(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) return 0;
    return redis::Error{redis::ErrorCode::io, "read " + path + ": " + std::strerror(errno)};
  }
  int value = 0;
  if (!(in >> value) || value < preference_min || value > preference_max) {
    return redis::Error{redis::ErrorCode::protocol, path + ": expected one integer -1..2"};
  }
  return value;
}

redis::Status write_preference(const std::string& path, int preference) {
  const std::filesystem::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path(), ec);
  if (ec) return redis::Error{redis::ErrorCode::io, "mkdir " + target.parent_path().string() + ": " + ec.message()};
  return common::write_file_atomically(path, std::to_string(preference) + "\n");
}

}  // namespace vipkit::vipd
