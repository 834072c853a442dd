#include "vipctl/sentinel_switch.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <thread>
#include <utility>
#include <vector>

#include "common/control_client.hpp"
#include "ha/sentinel_observe.hpp"
#include "redis/commands.hpp"
#include "redis/replies.hpp"
#include "vipctl/vip_probe.hpp"

namespace vipkit::vipctl {

namespace {

using Clock = std::chrono::steady_clock;
constexpr milliseconds poll_interval{20};

redis::Status status_of(const redis::Result<redis::Reply>& reply) {
  if (!reply) return reply.error();
  return Done{};
}

// A priority pinned to 0 on a replica, and what to put back.
struct Pin {
  redis::Endpoint replica;
  std::string previous;
};

class SentinelSwitch {
 public:
  SentinelSwitch(const SentinelSwitchConfig& config, const StepSink& on_step) : c_(config), on_step_(on_step) {}
  SwitchoverReport run();

 private:
  void step(const std::string& name, bool ok, std::string detail, Clock::time_point since);
  redis::Deadline exchange() const { return Clock::now() + c_.exchange_timeout; }
  redis::Result<redis::Connection> open(const redis::Endpoint& endpoint) {
    return redis::Connection::open(endpoint, c_.local.credentials, exchange());
  }
  std::vector<redis::Endpoint> local_addresses() const;
  ha::SentinelDecision ask(std::uint64_t last_epoch);
  bool is_local(const redis::Endpoint& e) const;
  std::optional<std::string> run_id_of(const redis::Endpoint& e);
  bool caught_up(const redis::Endpoint& master, const std::optional<redis::Endpoint>& target);
  bool vip_moved(const std::string& new_run_id);
  void unpin();
  void release_master(const redis::Endpoint& master);
  SwitchoverReport finish(SwitchResult result, std::string reason);

  const SentinelSwitchConfig& c_;
  const StepSink& on_step_;
  SwitchoverReport report_;
  Clock::time_point started_ = Clock::now();
  std::vector<Pin> pins_;
  std::optional<Clock::time_point> paused_at_;
  Clock::time_point renewed_at_{};
  // Renew the pause on the old master while waiting on Sentinel: a pause
  // that lapsed before the VIP moved would let it acknowledge writes that
  // its demotion then discards.
  void keep_paused(redis::Connection& master);
};

void SentinelSwitch::step(const std::string& name, bool ok, std::string detail, Clock::time_point since) {
  ha::Step s{name, ok, std::chrono::duration_cast<milliseconds>(Clock::now() - since), std::move(detail)};
  if (on_step_) on_step_(s);
  report_.steps.push_back(std::move(s));
}

std::vector<redis::Endpoint> SentinelSwitch::local_addresses() const {
  return ha::local_addresses_of(c_.local_advertised, c_.local.endpoint);
}

bool SentinelSwitch::is_local(const redis::Endpoint& e) const {
  const auto all = local_addresses();
  return std::find(all.begin(), all.end(), e) != all.end();
}

ha::SentinelDecision SentinelSwitch::ask(std::uint64_t last_epoch) {
  ha::SentinelInput in;
  in.reports = ha::observe_sentinels(c_.sentinel.sentinels, c_.sentinel.credentials, c_.sentinel.master_name,
                                     c_.exchange_timeout);
  in.local_addresses = local_addresses();
  in.local_role = ha::LocalRole::master;  // only `elected` is read: the role does not matter to it
  in.last_epoch = last_epoch;
  return ha::decide_sentinel(in);
}

std::optional<std::string> SentinelSwitch::run_id_of(const redis::Endpoint& e) {
  auto conn = open(e);
  if (!conn) return std::nullopt;
  auto info = conn->command({"INFO", "server"}, exchange());
  if (!info) return std::nullopt;
  auto parsed = redis::parse_server_info(info->str);
  if (!parsed) return std::nullopt;
  return parsed->run_id;
}

// The target (or, with none, some replica) has every byte the master has.
// Each replica is asked its own processed offset: the master's view of it
// (ROLE's list) is refreshed only by the replica's REPLCONF ACK, once a
// second, which cost half a second per switch.
bool SentinelSwitch::caught_up(const redis::Endpoint& master, const std::optional<redis::Endpoint>& target) {
  auto conn = open(master);
  if (!conn) return false;
  auto role = redis::role(conn.value(), exchange());
  if (!role) return false;
  for (const auto& r : role->replicas) {
    const redis::Endpoint e{r.host, r.port, ""};
    if (target && !(e == *target)) continue;
    auto replica = open(e);
    if (!replica) continue;
    auto own = redis::role(replica.value(), exchange());
    if (own && own->role == redis::Role::replica && own->offset >= role->offset) return true;
  }
  return false;
}

// The local vipd moved the VIP (promote: holds it; demote: gave it up) and
// the VIP answers from the new master.
bool SentinelSwitch::vip_moved(const std::string& new_run_id) {
  auto answer = common::control_request(c_.vipd_socket, {{"cmd", "status"}}, c_.exchange_timeout);
  if (!answer || !answer->is_object()) return false;
  const std::string state = answer->value("state", "");
  if ((c_.op == Operation::promote) != (state == "master")) return false;
  if (!c_.vip) return true;
  const VipView view = probe_vip(*c_.vip, c_.vip_port, c_.local.credentials, exchange());
  return view.run_id && *view.run_id == new_run_id;
}

void SentinelSwitch::keep_paused(redis::Connection& master) {
  if (!paused_at_ || Clock::now() - renewed_at_ < c_.timeout / 3) return;
  if (redis::pause_writes(master, c_.timeout, exchange())) renewed_at_ = Clock::now();
}

void SentinelSwitch::unpin() {
  for (const auto& pin : pins_) {
    const auto since = Clock::now();
    auto conn = open(pin.replica);
    const redis::Status set =
        conn ? status_of(conn->command({"CONFIG", "SET", "replica-priority", pin.previous}, exchange()))
             : redis::Status(conn.error());
    step("unpin", static_cast<bool>(set),
         set ? fmt::format("replica={} replica-priority={}", pin.replica.to_string(), pin.previous)
             : fmt::format("replica={} error={}", pin.replica.to_string(), set.error().message),
         since);
  }
  pins_.clear();
}

// The writes that waited on the old master were never acknowledged: drop
// their clients with them, then lift the pause so Sentinel can demote it.
void SentinelSwitch::release_master(const redis::Endpoint& master) {
  if (!paused_at_) return;
  const auto since = Clock::now();
  auto conn = open(master);
  std::string detail;
  bool ok = false;
  if (conn) {
    auto killed = conn->command({"CLIENT", "KILL", "TYPE", "normal"}, exchange());
    auto lifted = redis::unpause_writes(conn.value(), exchange());
    ok = static_cast<bool>(lifted);
    detail = fmt::format("master={} clients-dropped={}{}", master.to_string(), killed ? killed->integer : -1,
                         lifted ? "" : " error=" + lifted.error().message);
  } else {
    detail = fmt::format("master={} error={} (the pause ends by itself after {} ms)", master.to_string(),
                         conn.error().message, c_.timeout.count());
  }
  report_.write_pause = std::chrono::duration_cast<milliseconds>(Clock::now() - *paused_at_);
  paused_at_.reset();
  step("release-old-master", ok, detail, since);
}

SwitchoverReport SentinelSwitch::finish(SwitchResult result, std::string reason) {
  report_.result = result;
  report_.reason = std::move(reason);
  report_.total = std::chrono::duration_cast<milliseconds>(Clock::now() - started_);
  return std::move(report_);
}

SwitchoverReport SentinelSwitch::run() {
  report_.op = c_.op;
  report_.mover = "sentinel";
  auto since = Clock::now();
  const ha::SentinelDecision before = ask(0);
  if (!before.elected) {
    step("sentinels", false, fmt::format("no master named by a majority ({} views of {})", before.views,
                                         before.configured), since);
    return finish(SwitchResult::refused, "no-majority");
  }
  const redis::Endpoint master = *before.elected;
  report_.from = master.to_string();
  step("sentinels", true, fmt::format("master={} epoch={} views={}/{}", master.to_string(), before.epoch,
                                      before.views, before.configured), since);
  const bool local_master = is_local(master);
  if ((c_.op == Operation::promote) == local_master) {
    report_.to = report_.from;
    return finish(SwitchResult::already, "");
  }

  since = Clock::now();
  auto master_conn = open(master);
  auto role = master_conn ? redis::role(master_conn.value(), exchange()) : redis::Result<redis::RoleInfo>(master_conn.error());
  if (!role || role->role != redis::Role::master) {
    step("master", false, fmt::format("master={} {}", master.to_string(),
                                      role ? "does not answer ROLE as master" : role.error().message), since);
    return finish(SwitchResult::refused, "master-unusable");
  }
  std::vector<redis::Endpoint> replicas;
  for (const auto& r : role->replicas) replicas.push_back({r.host, r.port, ""});
  std::optional<redis::Endpoint> target;
  if (c_.op == Operation::promote) {
    target = c_.local_advertised;
    if (std::find(replicas.begin(), replicas.end(), *target) == replicas.end()) {
      step("master", false, fmt::format("master={} does not list {} among its replicas", master.to_string(),
                                        target->to_string()), since);
      return finish(SwitchResult::refused, "not-a-replica");
    }
  } else if (replicas.empty()) {
    step("master", false, fmt::format("master={} has no replica to hand over to", master.to_string()), since);
    return finish(SwitchResult::refused, "no-replica");
  }
  report_.to = target ? target->to_string() : "(Sentinel's choice)";
  step("master", true, fmt::format("master={} replicas={}", master.to_string(), replicas.size()), since);
  if (c_.dry_run) return finish(SwitchResult::dry_run, "");

  // 2. Only the target may win Sentinel's choice.
  if (target) {
    for (const auto& r : replicas) {
      if (r == *target) continue;
      since = Clock::now();
      auto conn = open(r);
      auto previous = conn ? redis::config_get(conn.value(), "replica-priority", exchange())
                           : redis::Result<std::string>(conn.error());
      const redis::Status set =
          previous ? status_of(conn->command({"CONFIG", "SET", "replica-priority", "0"}, exchange()))
                   : redis::Status(previous.error());
      if (!set) {
        step("pin-target", false, fmt::format("replica={} error={}", r.to_string(), set.error().message), since);
        unpin();
        return finish(SwitchResult::rolled_back, "pin-failed");
      }
      pins_.push_back({r, previous.value()});
      step("pin-target", true, fmt::format("replica={} replica-priority=0 (was {})", r.to_string(), previous.value()),
           since);
    }
  }

  // 3. Writes wait on the old master until the target has all of them.
  since = Clock::now();
  if (auto paused = redis::pause_writes(master_conn.value(), c_.timeout, exchange()); !paused) {
    step("pause-master", false, paused.error().message, since);
    unpin();
    return finish(SwitchResult::rolled_back, "pause-failed");
  }
  paused_at_ = renewed_at_ = Clock::now();
  step("pause-master", true, fmt::format("master={} ms={}", master.to_string(), c_.timeout.count()), since);
  since = Clock::now();
  const auto catch_up_by = *paused_at_ + c_.timeout / 2;
  bool done = false;
  while (!(done = caught_up(master, target)) && Clock::now() < catch_up_by) std::this_thread::sleep_for(poll_interval);
  step("catch-up", done, done ? "the target has the master's offset" : "the target did not catch up in time", since);
  if (!done) {
    release_master(master);
    unpin();
    return finish(SwitchResult::rolled_back, "catch-up-timeout");
  }
  const std::optional<std::string> target_run_id = target ? run_id_of(*target) : std::nullopt;

  // 4. Sentinel fails over.
  since = Clock::now();
  std::string errors;
  bool accepted = false;
  for (const auto& s : c_.sentinel.sentinels) {
    auto conn = redis::Connection::open(s, c_.sentinel.credentials, exchange());
    auto reply = conn ? conn->command({"SENTINEL", "FAILOVER", c_.sentinel.master_name}, exchange())
                      : redis::Result<redis::Reply>(conn.error());
    if (reply) {
      accepted = true;
      errors = "via " + s.to_string();
      break;
    }
    errors += (errors.empty() ? "" : "; ") + s.to_string() + ": " + reply.error().message;
  }
  step("failover", accepted, errors, since);
  if (!accepted) {
    release_master(master);
    unpin();
    return finish(SwitchResult::rolled_back, "failover-refused");
  }

  // 5. A majority names the new master, and the VIP follows it.
  since = Clock::now();
  const auto wait_by = Clock::now() + c_.vip_timeout;
  std::optional<redis::Endpoint> elected;
  std::uint64_t epoch = before.epoch;
  while (Clock::now() < wait_by) {
    const auto now = ask(before.epoch);
    if (now.elected && !(*now.elected == master) && (!target || *now.elected == *target)) {
      elected = now.elected;
      epoch = now.epoch;
      break;
    }
    keep_paused(master_conn.value());
    std::this_thread::sleep_for(poll_interval);
  }
  step("elected", elected.has_value(),
       elected ? fmt::format("master={} epoch={}", elected->to_string(), epoch)
               : "no majority named a new master in time",
       since);
  if (!elected) {
    release_master(master);
    unpin();
    return finish(SwitchResult::rollback_failed, "failover-timeout");
  }
  report_.to = elected->to_string();
  since = Clock::now();
  const std::string new_run_id = target_run_id ? *target_run_id : run_id_of(*elected).value_or("");
  bool moved = false;
  while (!(moved = vip_moved(new_run_id)) && Clock::now() < wait_by) {
    keep_paused(master_conn.value());
    std::this_thread::sleep_for(poll_interval);
  }
  step("vip", moved, moved ? "the VIP answers from the new master" : "the VIP did not follow in time", since);

  // 6-7. Let the old master go, whatever happened to the VIP.
  release_master(master);
  unpin();
  if (!moved) return finish(SwitchResult::rollback_failed, "vip-did-not-move");
  const bool clean = std::all_of(report_.steps.begin(), report_.steps.end(), [](const ha::Step& s) { return s.ok; });
  return finish(SwitchResult::switched, clean ? "" : "cleanup-failed");
}

}  // namespace

SwitchoverReport run_sentinel_switchover(const SentinelSwitchConfig& config, const StepSink& on_step) {
  return SentinelSwitch(config, on_step).run();
}

}  // namespace vipkit::vipctl
