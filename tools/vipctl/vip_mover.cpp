#include "vipctl/vip_mover.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "common/control_client.hpp"
#include "common/preference.hpp"
#include "vrrp/vipd/control_protocol.hpp"

namespace vipkit::vipctl {

Check PreferenceFileMover::check() const {
  auto current = common::read_preference(path_);
  if (!current) return {"vip-mover", CheckStatus::fail, current.error().message};
  auto dir = std::filesystem::path(path_).parent_path();
  if (dir.empty()) dir = ".";
  // write_preference creates the directory when missing; it must be
  // writable where it exists.
  std::error_code ec;  // unreadable counts as missing: the access() below says why
  while (!dir.empty() && !std::filesystem::exists(dir, ec)) dir = dir.parent_path();
  if (::access(dir.c_str(), W_OK) != 0) {
    return {"vip-mover", CheckStatus::fail, fmt::format("keepalived track file {}: {} is not writable", path_, dir.string())};
  }
  return {"vip-mover", CheckStatus::pass,
          fmt::format("keepalived: track file {} (now {}) moves the VIP by preemption", path_, current.value())};
}

IoStatus PreferenceFileMover::hand_over(Direction to) {
  // One locked read-modify-write: `previous_` is what this write replaced.
  auto change = common::write_preference(path_, to == Direction::to_local ? common::preference_promoted
                                                                          : common::preference_demoted);
  if (!change) return change.error();
  previous_ = change->from;
  return Done{};
}

IoStatus PreferenceFileMover::restore() {
  if (!previous_) return Done{};
  auto change = common::write_preference(path_, *previous_);
  if (!change) return change.error();
  return Done{};
}

Check VipdMover::check() const {
  auto answer = common::control_request(socket_, {{"cmd", "status"}}, timeout_);
  if (!answer) return {"vip-mover", CheckStatus::fail, "vipd: " + answer.error().message};
  const auto s = vipd::parse_response(answer.value());
  if (!s) return {"vip-mover", CheckStatus::fail, fmt::format("{}: {}", socket_, s.error().message)};
  const std::string& state = s->state;
  const std::string detail = fmt::format("vipd {} on {}: state {}, priority {} (preference {})", s->instance, socket_,
                                         state, s->effective_priority, s->preference);
  if (!s->ok) return {"vip-mover", CheckStatus::fail, "vipd: " + (s->error.empty() ? "not ok" : s->error)};
  // In initialize or fault vipd would refuse promote (its Redis is not
  // healthy) and has nothing to resign.
  if (state != "master" && state != "backup") return {"vip-mover", CheckStatus::fail, detail};
  return {"vip-mover", CheckStatus::pass, detail};
}

IoStatus VipdMover::request(const char* command) {
  auto answer = common::control_request(socket_, {{"cmd", command}}, timeout_);
  if (!answer) return answer.error();
  // vipd's answer is not the control protocol (EPROTO, from parse_response).
  const auto reply = vipd::parse_response(answer.value());
  if (!reply) return IoError{reply.error().code, fmt::format("{}: {}", socket_, reply.error().message)};
  // vipd refused (in initialize or fault it will not promote).
  if (!reply->ok) {
    return IoError{EPERM, fmt::format("vipd {}: {}", command, reply->error.empty() ? "refused" : reply->error)};
  }
  return Done{};
}

IoStatus VipdMover::hand_over(Direction to) {
  handed_ = to;
  return request(to == Direction::to_local ? "promote" : "demote");
}

IoStatus VipdMover::restore() {
  if (!handed_) return Done{};
  return request(*handed_ == Direction::to_local ? "demote" : "promote");
}

Check RedisOnlyMover::check() const {
  return {"vip-mover", CheckStatus::pass, "none (--redis-only): Redis roles only, no VIP is moved"};
}

}  // namespace vipkit::vipctl
