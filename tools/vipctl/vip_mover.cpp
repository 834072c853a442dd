#include "vipctl/vip_mover.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>

#include "common/preference.hpp"

namespace vipkit::vipctl {

Check PreferenceFileMover::check() const {
  auto current = common::read_preference(path_);
  if (!current) return {"vip-mover", CheckStatus::fail, current.error().message};
  auto dir = std::filesystem::path(path_).parent_path();
  if (dir.empty()) dir = ".";
  // write_preference creates the directory when missing; it must be
  // writable where it exists.
  while (!dir.empty() && !std::filesystem::exists(dir)) dir = dir.parent_path();
  if (::access(dir.c_str(), W_OK) != 0) {
    return {"vip-mover", CheckStatus::fail, fmt::format("keepalived track file {}: {} is not writable", path_, dir.string())};
  }
  return {"vip-mover", CheckStatus::pass,
          fmt::format("keepalived: track file {} (now {}) moves the VIP by preemption", path_, current.value())};
}

redis::Status PreferenceFileMover::hand_over(Direction to) {
  auto current = common::read_preference(path_);
  if (!current) return current.error();
  previous_ = current.value();
  return common::write_preference(path_, to == Direction::to_local ? common::preference_promoted
                                                                   : common::preference_demoted);
}

redis::Status PreferenceFileMover::restore() {
  if (!previous_) return redis::Done{};
  return common::write_preference(path_, *previous_);
}

Check RedisOnlyMover::check() const {
  return {"vip-mover", CheckStatus::pass, "none (--redis-only): Redis roles only, no VIP is moved"};
}

}  // namespace vipkit::vipctl
