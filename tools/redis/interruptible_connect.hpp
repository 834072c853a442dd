#pragma once
// A TCP connect that another thread can cut short. vipd's Redis worker
// probes the peer at every health check; during a partition each probe sits
// in connect() for the whole timeout (a black-holed SYN gets no answer). When
// the partition heals, the check that decides who keeps the VIP (a second
// master heard) waited behind that probe: in the chaos soak, up to 300 ms of
// both hosts holding the VIP. Polling the connect together with the worker's
// job eventfd lets the new request end the stale probe at once.
//
// Only numeric addresses are connected this way (a host name would need a
// resolver that blocks); the caller falls back to hiredis's own connect.
#include <optional>

#include "redis/connection.hpp"
#include "redis/endpoint.hpp"

namespace vipkit::redis {

// Whether `endpoint` is TCP to a numeric IPv4/IPv6 literal (no resolver).
bool is_numeric_host(const Endpoint& endpoint);

// Connect to `endpoint` (TCP, numeric host) before `deadline`, giving up with
// ErrorCode::interrupted as soon as `interrupt_fd` is readable. Returns a
// connected, blocking socket with TCP_NODELAY set; the caller owns it.
Result<int> connect_interruptible(const Endpoint& endpoint, Deadline deadline, int interrupt_fd);

}  // namespace vipkit::redis
