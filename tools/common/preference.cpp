#include "common/preference.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/atomic_file.hpp"
#include "common/file_lock.hpp"

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

IoResult<int> read_preference(const std::string& path) {
  std::error_code missing;
  if (!std::filesystem::exists(path, missing) && !missing) return preference_neutral;
  std::ifstream in(path);
  if (!in) return errno_error(fmt::format("preference file {}", path));
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
    return IoError{EINVAL, fmt::format("preference file {} holds '{}', expected an integer from {} to {}", path, text,
                                       preference_demoted, preference_promoted)};
  }
  return value;
}

std::string preference_lock_path(const std::string& path) { return path + ".lock"; }

IoResult<PreferenceChange> update_preference(const std::string& path, const std::function<int(int)>& next) {
  std::error_code ec;
  const auto dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  if (ec) return IoError{ec.value(), "mkdir " + dir.string() + ": " + ec.message()};
  auto lock = FileLock::acquire(preference_lock_path(path), 0644, preference_lock_wait);
  if (!lock) return lock.error();
  auto current = read_preference(path);
  if (!current) return current.error();
  const PreferenceChange change{current.value(), next(current.value())};
  if (change.to == change.from) return change;
  if (auto st = write_file_atomically(path, std::to_string(change.to) + "\n", 0644); !st) return st.error();
  return change;
}

IoResult<PreferenceChange> write_preference(const std::string& path, int value) {
  return update_preference(path, [value](int) { return value; });
}

IoResult<std::optional<PreferenceChange>> if_changed(IoResult<PreferenceChange> change) {
  if (!change) return change.error();
  if (change->to == change->from) return std::optional<PreferenceChange>{};
  return std::optional<PreferenceChange>{change.value()};
}

namespace {

// The marker-follower's rule as an update (the arguments outlive the call).
std::function<int(int)> following(const ha::SwitchoverMarker& marker, const std::optional<redis::Endpoint>& self,
                                  const redis::Endpoint& peer) {
  return [&](int current) { return preference_after(current, marker, self, peer); };
}

}  // namespace

IoResult<std::optional<PreferenceChange>> follow_marker(const std::string& path, const ha::SwitchoverMarker& marker,
                                                        const std::optional<redis::Endpoint>& self,
                                                        const redis::Endpoint& peer) {
  return if_changed(update_preference(path, following(marker, self, peer)));
}

int PreferenceFile::last() const {
  std::lock_guard lock(value_mutex_);
  return pending_.value_or(last_);
}

void PreferenceFile::request(int value) {
  std::lock_guard lock(value_mutex_);
  pending_ = value;
}

void PreferenceFile::settle(int value) {
  std::lock_guard lock(value_mutex_);
  last_ = value;
}

IoResult<std::optional<PreferenceChange>> PreferenceFile::flush_locked() {
  std::optional<int> wanted;
  {
    std::lock_guard lock(value_mutex_);
    wanted = pending_;
  }
  if (!wanted) return std::optional<PreferenceChange>{};
  auto change = write_preference(path_, *wanted);
  std::lock_guard lock(value_mutex_);
  // Requested again meanwhile: that value is still to be written.
  if (pending_ == wanted) pending_.reset();
  // Written or not, the value counts (the caller logs a failure): the
  // priority already follows it.
  last_ = *wanted;
  return if_changed(std::move(change));
}

IoResult<std::optional<PreferenceChange>> PreferenceFile::flush() {
  std::lock_guard lock(file_mutex_);
  return flush_locked();
}

std::optional<int> PreferenceFile::pending() const {
  std::lock_guard lock(value_mutex_);
  return pending_;
}

IoResult<int> PreferenceFile::read() {
  if (writes_ == Writes::deferred) {
    if (auto p = pending()) return *p;  // what the file is about to hold
  }
  std::lock_guard lock(file_mutex_);
  (void)flush_locked();  // a failure was logged by the flush that owns it
  auto value = read_preference(path_);
  if (value) settle(value.value());
  return value;
}

IoResult<PreferenceChange> PreferenceFile::write(int value) {
  if (writes_ == Writes::deferred) {
    const int from = last();
    request(value);
    return PreferenceChange{from, value};
  }
  std::lock_guard lock(file_mutex_);
  (void)flush_locked();
  auto change = write_preference(path_, value);
  if (change) settle(change->to);
  return change;
}

IoResult<std::optional<PreferenceChange>> PreferenceFile::follow_marker(
    const ha::SwitchoverMarker& marker, const std::optional<redis::Endpoint>& self, const redis::Endpoint& peer) {
  if (writes_ == Writes::deferred) {
    const int from = last();
    const int to = preference_after(from, marker, self, peer);
    if (to == from) return std::optional<PreferenceChange>{};
    request(to);
    return std::optional<PreferenceChange>{PreferenceChange{from, to}};
  }
  std::lock_guard lock(file_mutex_);
  (void)flush_locked();
  auto change = update_preference(path_, following(marker, self, peer));
  if (change) settle(change->to);
  return if_changed(std::move(change));
}

}  // namespace vipkit::common
