#include "common/preference.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/atomic_file.hpp"

namespace vipkit::common {

std::string default_preference_path(const std::string& instance) {
  return "/var/lib/vipkit/" + instance + ".prefer";
}

int preference_after(int current, const ha::SwitchoverMarker& marker,
                     const std::optional<redis::Endpoint>& self, const redis::Endpoint& peer) {
  const auto to = redis::parse_host_port(marker.to);
  if (!to) return current;
  const bool names_self = self ? *to == *self : *to != peer;
  if (names_self) return std::max(current, preference_preferred);
  if (*to == peer) return std::min(current, preference_neutral);
  return current;  // names neither node as we know them: not ours to act on
}

redis::Result<int> read_preference(const std::string& path) {
  std::error_code missing;
  if (!std::filesystem::exists(path, missing) && !missing) return preference_neutral;
  std::ifstream in(path);
  if (!in) {
    return redis::Error{redis::ErrorCode::io, fmt::format("preference file {}: {}", path, std::strerror(errno))};
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  const auto first = text.find_first_not_of(" \t\r\n");
  const auto last = text.find_last_not_of(" \t\r\n");
  text = first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < preference_demoted ||
      value > preference_promoted) {
    return redis::Error{redis::ErrorCode::protocol,
                        fmt::format("preference file {} holds '{}', expected an integer from {} to {}", path,
                                    text, preference_demoted, preference_promoted)};
  }
  return value;
}

redis::Status write_preference(const std::string& path, int value) {
  std::error_code ec;
  const auto dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  if (ec) return redis::Error{redis::ErrorCode::io, "mkdir " + dir.string() + ": " + ec.message()};
  return write_file_atomically(path, std::to_string(value) + "\n", 0644);
}

redis::Result<std::optional<PreferenceChange>> follow_marker(const std::string& path,
                                                             const ha::SwitchoverMarker& marker,
                                                             const std::optional<redis::Endpoint>& self,
                                                             const redis::Endpoint& peer) {
  auto current = read_preference(path);
  if (!current) return current.error();
  const int next = preference_after(current.value(), marker, self, peer);
  if (next == current.value()) return std::optional<PreferenceChange>{};
  if (auto st = write_preference(path, next); !st) return st.error();
  return std::optional<PreferenceChange>{PreferenceChange{current.value(), next}};
}

}  // namespace vipkit::common
