#include "vip-check/check.hpp"

#include "common/local_address.hpp"
#include "ha/divergence_probe.hpp"
#include "ha/eligibility.hpp"
#include "ha/observe.hpp"

namespace vipkit::check {

namespace {

using redis::ErrorCode;

// vip-check's reasons are the error tokens, except where an operator reading
// keepalived's log wants the consequence rather than the mechanism.
std::string reason_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::masterdown: return "link-down";
    case ErrorCode::io: return "unreachable";  // connection dropped by the server
    case ErrorCode::protocol: return "error";
    default: return std::string(redis::to_token(code));
  }
}

CheckResult failed(const redis::Error& error, const std::string& who) {
  // Connection errors already name the endpoint; reply errors do not.
  const bool named = error.message.starts_with(who);
  return {false, reason_of(error.code), named ? error.message : who + ": " + error.message};
}

CheckResult check_replica(const ha::NodeState& local, const std::string& who) {
  if (local.role != redis::Role::replica) {
    return {false, "wrong-role", who + ": role is " + std::string(redis::to_token(local.role))};
  }
  const std::string master = local.master_host + ":" + std::to_string(local.master_port);
  if (!local.link_up) return {false, "link-down", who + ": master_link_status:down (master " + master + ")"};
  if (local.sync_in_progress) return {false, "link-down", who + ": full sync in progress from " + master};
  return {true, "", local.summary()};
}

CheckResult check_eligible(const ha::NodeState& local, const CheckConfig& config,
                           redis::Deadline deadline) {
  const auto& c = config.connections;
  const ha::NodeState peer = ha::observe(c.peer->endpoint, c.peer->credentials, deadline);
  std::optional<bool> vip_local;
  if (c.vip) {
    auto here = common::is_local_address(*c.vip);
    if (here) vip_local = here.value();
  }
  // Two masters of a forked history: their data past the fork decides.
  std::optional<ha::Divergence> divergence;
  if (ha::diverged_masters(local, peer)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - redis::Clock::now());
    auto d = ha::observe_divergence(c.local, local, *c.peer, peer, left);
    if (d) divergence = d.value();
  }
  const ha::Eligibility e = ha::decide_eligibility(local, peer, vip_local, divergence);
  if (!e.eligible) {
    return {false, "not-eligible",
            e.reason + " (local " + local.summary() + "; peer " + c.peer->endpoint.to_string() + " " +
                peer.summary() + ")"};
  }
  return {true, "", e.reason};
}

}  // namespace

std::optional<Expect> parse_expect(std::string_view text) {
  if (text == "alive") return Expect::alive;
  if (text == "master") return Expect::master;
  if (text == "replica") return Expect::replica;
  if (text == "eligible") return Expect::eligible;
  return std::nullopt;
}

CheckResult run_check(const CheckConfig& config) {
  const auto& local_target = config.connections.local;
  const std::string who = local_target.endpoint.to_string();
  const auto deadline = redis::Clock::now() + config.connections.timeout;

  auto connection = redis::Connection::open(local_target.endpoint, local_target.credentials, deadline);
  if (!connection) return failed(connection.error(), who);
  // PING answers -LOADING while the dataset loads and -BUSY while a script
  // runs past its time limit: both mean "not alive" for a VIP holder.
  auto pong = connection->command({"PING"}, deadline);
  if (!pong) return failed(pong.error(), who);
  if (config.expect == Expect::alive) return {true, "", "PONG"};

  const ha::NodeState local = ha::observe(connection.value(), deadline);
  if (!local.reachable) return failed(*local.error, who);
  if (local.loading) return {false, "loading", who + ": loading the dataset"};

  switch (config.expect) {
    case Expect::alive: return {true, "", "PONG"};
    case Expect::master:
      if (local.role != redis::Role::master) {
        return {false, "wrong-role", who + ": role is " + std::string(redis::to_token(local.role))};
      }
      return {true, "", local.summary()};
    case Expect::replica: return check_replica(local, who);
    case Expect::eligible: return check_eligible(local, config, deadline);
  }
  return {false, "error", "unknown expectation"};
}

}  // namespace vipkit::check
