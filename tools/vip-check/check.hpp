#pragma once
// vip-check: the probe keepalived runs every interval (vrrp_script). One
// bounded pass: PING, then (per --expect) role, link and eligibility.
#include <optional>
#include <string>
#include <string_view>

#include "common/redis_options.hpp"

namespace vipkit::check {

enum class Expect { alive, master, replica, eligible };
std::optional<Expect> parse_expect(std::string_view text);

struct CheckConfig {
  Expect expect = Expect::alive;
  common::Connections connections;  // eligible requires a peer
};

struct CheckResult {
  bool healthy = false;
  std::string reason;  // failure token: unreachable, auth-failed, loading, busy, wrong-role, link-down, not-eligible, timeout, error
  std::string detail;  // human context, Redis's own text where there is one
};

// Never takes longer than connections.timeout in total.
CheckResult run_check(const CheckConfig& config);

}  // namespace vipkit::check
