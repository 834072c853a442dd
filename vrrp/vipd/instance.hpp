#pragma once
// The vipd driver: one VRRP instance on the main thread's event loop. It
// feeds the pure state machine (adverts, timers, health, operator commands)
// and executes the actions it returns on the system adapters: adverts on
// the raw socket, the VIPs through netlink, gratuitous ARP. Redis is the
// worker thread's business; the VIP is added only once the worker has seen
// the local Redis as master, so no client reaches a read-only replica
// through it. Logs one line per event the operator cares about.
#include <memory>

#include "common/log.hpp"
#include "vrrp/vipd/config.hpp"

namespace vipkit::vipd {

// Runs until SIGTERM/SIGINT (priority 0 sent, VIPs removed). Exit code:
// 0 after a clean stop, 1 when the instance could not start or the loop
// failed.
int run_instance(const VipdConfig& config, const common::Logger& log);

}  // namespace vipkit::vipd
