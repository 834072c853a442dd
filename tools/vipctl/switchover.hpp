#pragma once
// vipctl promote / demote: the planned, zero-loss switchover of
// docs/switchover.md. Preflight; the switchover marker on the old master;
// the Redis roles (FAILOVER TO, or CLIENT PAUSE + REPLICAOF before 6.2); the
// VIP (the mover); wait until the VIP answers from the new master and the old
// master follows it; marker off. Any failure rolls back to one master,
// writes unpaused, the VIP on the master — or says that it could not.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ha/procedures.hpp"
#include "vipctl/preflight.hpp"
#include "vipctl/vip_mover.hpp"

namespace vipkit::vipctl {

using std::chrono::milliseconds;

enum class Operation { promote, demote };  // promote: the local node becomes master; demote: the peer does
std::string_view to_token(Operation op);

struct SwitchoverConfig {
  Operation op = Operation::promote;
  ha::Target local;
  ha::Target peer;
  redis::Endpoint local_advertised;  // how the peer reaches the local node (--self)
  std::optional<std::string> vip;    // to check where the VIP answers
  int vip_port = 0;
  milliseconds timeout{5000};        // bound of the Redis switch (the longest write pause) and of the link-up
  milliseconds vip_timeout{10000};   // bound of each wait for the VIP (keepalived moves it in 3-5 s)
  milliseconds exchange_timeout{1000};
  long long max_lag = 1 << 20;       // bytes
  bool dry_run = false;
  bool force_client_pause = false;   // take the < 6.2 path on a newer Redis (tests)
  std::string by;                    // "vipctl@HOST pid=N", written into the marker
};

enum class SwitchResult {
  switched,         // done: new master, VIP on it, old master linked
  already,          // nothing to do: the roles and the VIP are already where asked
  dry_run,          // preflight only
  refused,          // preflight failed: nothing changed
  rolled_back,      // a step failed; the pair is back as it was
  rollback_failed,  // a step failed and so did the rollback: the operator must act
};
std::string_view to_token(SwitchResult result);

struct SwitchoverReport {
  Operation op = Operation::promote;
  SwitchResult result = SwitchResult::refused;
  std::string reason;  // stable token of what failed ("failover-timeout", "vip-did-not-move", ...)
  Method method = Method::failover;
  std::string mover;
  std::string from;    // old master's address
  std::string to;      // new master's address
  Preflight preflight;
  std::vector<ha::Step> steps;
  std::optional<milliseconds> write_pause;  // measured on the old master
  milliseconds total{0};
};

// 0 switched / already / dry run with every check passing; 1 refused, rolled back, or
// dry run with a failing check; 3 rollback failed.
int exit_code(const SwitchoverReport& report);

// Called for each step as it is recorded (vipctl logs one line per step).
using StepSink = std::function<void(const ha::Step&)>;

SwitchoverReport run_switchover(const SwitchoverConfig& config, VipMover& mover, const StepSink& on_step);

}  // namespace vipkit::vipctl
