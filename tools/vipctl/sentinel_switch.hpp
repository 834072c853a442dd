#pragma once
// vipctl promote / demote when vipd follows Sentinel (leader = sentinel,
// docs/sentinel.md): Sentinel elects, so the switch is a SENTINEL FAILOVER,
// made zero-loss around it:
//   1. the Sentinels' majority names the master M (else refused);
//   2. promote: every other replica gets replica-priority 0 for the
//      duration, so Sentinel can only pick this host;
//   3. CLIENT PAUSE WRITE on M, and wait until the target (promote: this
//      host; demote: any replica) has M's offset — nothing acknowledged on
//      M is missing from it;
//   4. SENTINEL FAILOVER (the first Sentinel that accepts it);
//   5. wait until a majority names the new master, the local vipd says the
//      VIP moved (promote: held here; demote: gone from here), and the VIP
//      answers from the new master (run_id);
//   6. CLIENT KILL TYPE normal on M, then CLIENT UNPAUSE: the writes that
//      waited on M were never acknowledged and die with their clients, and
//      Sentinel can now demote M (a paused M holds its REPLICAOF);
//   7. replica-priority restored.
// A failure before the failover undoes 2 and 3 (rolled_back); after it,
// M is unpaused all the same and the report says what is unknown.
#include <chrono>
#include <optional>
#include <string>

#include "ha/procedures.hpp"
#include "vipctl/switchover.hpp"
#include "vrrp/vipd/sentinel_config.hpp"

namespace vipkit::vipctl {

struct SentinelSwitchConfig {
  Operation op = Operation::promote;
  ha::Target local;                   // the local Redis; its credentials serve every Redis of the set
  redis::Endpoint local_advertised;   // `self`: as the Sentinels name it
  vipd::SentinelConfig sentinel;
  std::string vipd_socket;            // the local vipd's control socket
  std::optional<std::string> vip;     // where clients connect (the first vip)
  int vip_port = 0;
  milliseconds timeout{5000};         // bound of the write pause and the catch-up
  milliseconds vip_timeout{10000};    // bound of the wait for Sentinel and the VIP
  milliseconds exchange_timeout{1000};
  bool dry_run = false;
};

SwitchoverReport run_sentinel_switchover(const SentinelSwitchConfig& config, const StepSink& on_step);

}  // namespace vipkit::vipctl
