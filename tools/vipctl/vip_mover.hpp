#pragma once
// What moves the VIP to the new master once the Redis roles are switched.
// keepalived: this host's preference file (track_file, weight 15), which
// vipctl writes and keepalived watches; preemption moves the VIP. vipd: its
// control socket (promote / demote). None: a Redis-only switch, when the
// operator says so (--redis-only). docs/switchover.md.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/io_error.hpp"
#include "vipctl/preflight.hpp"

namespace vipkit::vipctl {

// Where the master role goes, seen from the host vipctl runs on.
enum class Direction { to_local, to_peer };

class VipMover {
 public:
  virtual ~VipMover() = default;
  virtual std::string_view name() const = 0;
  // Preflight: can it act (socket answers, file writable)? Check "vip-mover".
  virtual Check check() const = 0;
  // False for the Redis-only switch: there is no VIP to wait for.
  virtual bool moves_vip() const = 0;
  // True when the VIP can only be where the master role is (vipd holds it
  // only over a master Redis): it is moved after the Redis roles. Otherwise
  // (keepalived) it is moved first: docs/switchover.md says why.
  virtual bool follows_role() const { return false; }
  // Make the VIP follow the master role. Its failures are local ones (the
  // preference file, vipd's socket and answer), none Redis's.
  virtual IoStatus hand_over(Direction to) = 0;
  // Undo hand_over (rollback): the VIP goes back with the role.
  virtual IoStatus restore() = 0;
};

// keepalived's track_file: promote writes 2 (win the election now), demote
// -1 (lose it now); restore writes back what was there.
class PreferenceFileMover : public VipMover {
 public:
  explicit PreferenceFileMover(std::string path) : path_(std::move(path)) {}
  std::string_view name() const override { return "keepalived"; }
  Check check() const override;
  bool moves_vip() const override { return true; }
  IoStatus hand_over(Direction to) override;
  IoStatus restore() override;

 private:
  std::string path_;
  std::optional<int> previous_;
};

// vipd's control socket: promote (take over now: VRRP master at once, VIP
// added) when the local node becomes master, demote (resign: priority 0, the
// peer's vipd takes over at its skew time) when it hands over. vipd keeps its
// preference file itself (2 / -1). restore() asks for the opposite.
class VipdMover : public VipMover {
 public:
  VipdMover(std::string socket, std::chrono::milliseconds timeout) : socket_(std::move(socket)), timeout_(timeout) {}
  std::string_view name() const override { return "vipd"; }
  Check check() const override;
  bool moves_vip() const override { return true; }
  bool follows_role() const override { return true; }
  IoStatus hand_over(Direction to) override;
  IoStatus restore() override;

 private:
  IoStatus request(const char* command);
  std::string socket_;
  std::chrono::milliseconds timeout_;
  std::optional<Direction> handed_;
};

class RedisOnlyMover : public VipMover {
 public:
  std::string_view name() const override { return "none"; }
  Check check() const override;
  bool moves_vip() const override { return false; }
  IoStatus hand_over(Direction) override { return Done{}; }
  IoStatus restore() override { return Done{}; }
};

}  // namespace vipkit::vipctl
