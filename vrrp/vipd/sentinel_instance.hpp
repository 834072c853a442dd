#pragma once
// vipd with leader = sentinel (docs/sentinel.md): no VRRP. The follower
// thread asks the Sentinels and the local Redis and decides; the listener
// threads wake it on Sentinel events; this driver, on the main thread's
// event loop, executes each decision on the VIPs (add with a GARP burst,
// remove), answers the control socket and systemd, and stops on SIGTERM
// (the VIPs removed: a VIP nobody manages would stay put through the next
// failover).
#include "common/log.hpp"
#include "vrrp/vipd/config.hpp"

namespace vipkit::vipd {

// Runs until SIGTERM/SIGINT. Exit code: 0 after a clean stop, 1 when the
// instance could not start or the loop failed. config.sentinel is set.
int run_sentinel_instance(const VipdConfig& config, const common::Logger& log);

}  // namespace vipkit::vipd
