#include "vipctl/switchover.hpp"

#include <fmt/format.h>

#include <thread>

#include "common/exit_codes.hpp"
#include "common/local_address.hpp"
#include "ha/observe.hpp"
#include "ha/step_recorder.hpp"
#include "ha/switchover.hpp"
#include "redis/commands.hpp"
#include "vipctl/acl_check.hpp"
#include "vipctl/node_view.hpp"
#include "vipctl/settle.hpp"
#include "vipctl/vip_probe.hpp"

namespace vipkit::vipctl {

namespace {

using redis::Clock;
constexpr milliseconds vip_poll{5};
constexpr milliseconds link_poll{10};
constexpr int settle_rounds = 4;
constexpr milliseconds preflight_settle{2000};

// Who gives the role up and who takes it, and the addresses they use for
// each other.
struct Roles {
  ha::Target old_master;
  ha::Target new_master;
  redis::Endpoint old_advertised;
  redis::Endpoint new_advertised;
  Direction to = Direction::to_local;
};

Roles roles_of(const SwitchoverConfig& c) {
  if (c.op == Operation::promote) return {c.peer, c.local, c.peer.endpoint, c.local_advertised, Direction::to_local};
  return {c.local, c.peer, c.local_advertised, c.peer.endpoint, Direction::to_peer};
}

// The steps so far, each handed to the sink as it is recorded.
class Journal {
 public:
  Journal(std::vector<ha::Step>& steps, const StepSink& sink) : steps_(steps), sink_(sink) {}
  bool record(const std::string& name, Clock::time_point start, bool ok, std::string detail) {
    add(ha::Step{name, ok, ha::since(start), std::move(detail)});
    return ok;
  }
  // `action` returns a redis::Status (a Redis command) or an IoStatus (the
  // VIP mover's file or socket): either way the step's detail is its text.
  template <class Action>
  bool run(const std::string& name, Action&& action, std::string ok_detail = "") {
    const auto start = Clock::now();
    const auto st = action();
    return record(name, start, st.ok(), st ? std::move(ok_detail) : st.error().message);
  }
  void add(const ha::Step& step) {
    steps_.push_back(step);
    if (sink_) sink_(step);
  }
  void add(const ha::Outcome& outcome) {
    for (const auto& s : outcome.steps) add(s);
  }

 private:
  std::vector<ha::Step>& steps_;
  const StepSink& sink_;
};

// The switch asked for is in place already (a promote run twice): the new
// master is a master, the old one its linked replica, and the VIP on the new
// master's side of this host. Nothing to do; not an error.
bool already_done(const SwitchoverConfig& c, const Roles& r, const NodeView& old_view, const NodeView& new_view) {
  if (!new_view.state.is_master() || !old_view.state.is_synced_replica() ||
      !old_view.state.replicates_from(r.new_advertised)) {
    return false;
  }
  if (!c.vip) return true;
  const auto here = common::is_local_address(*c.vip);
  return here && here.value() == (r.to == Direction::to_local);
}

long long unix_ms() {
  return std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// One wrapper of redis/commands.hpp on a fresh connection to `t`.
redis::Status with_node(const ha::Target& t, milliseconds timeout,
                        const std::function<redis::Status(redis::Connection&, redis::Deadline)>& command) {
  const auto deadline = Clock::now() + timeout;
  auto c = redis::Connection::open(t.endpoint, t.credentials, deadline);
  if (!c) return c.error();
  return command(c.value(), deadline);
}

// One command on a fresh connection to `t`; its reply in `out` when asked.
redis::Status on_node(const ha::Target& t, const std::vector<std::string>& argv, milliseconds timeout,
                      redis::Reply* out = nullptr) {
  return with_node(t, timeout, [&](redis::Connection& c, redis::Deadline deadline) -> redis::Status {
    auto reply = c.command(argv, deadline);
    if (!reply) return reply.error();
    if (out != nullptr) *out = reply.value();
    return redis::Done{};
  });
}

// SET NX: a second vipctl cannot start while ours runs; PX bounds how long
// a crashed vipctl holds automation back.
redis::Status set_marker(const ha::Target& master, const ha::SwitchoverMarker& marker, milliseconds px,
                         milliseconds timeout) {
  redis::Reply reply;
  auto st = on_node(master, ha::marker_set_command(marker, px, true), timeout, &reply);
  if (!st) return st;
  if (reply.type == redis::Reply::Type::nil) {
    return redis::Error{redis::ErrorCode::reply_error, "another switchover marker is set"};
  }
  return redis::Done{};
}

// DEL on every node that takes it (the master; a replica answers READONLY
// and gets the deletion through replication).
void clear_marker(Journal& journal, const std::vector<const ha::Target*>& nodes, milliseconds timeout) {
  const auto start = Clock::now();
  std::string detail;
  bool deleted = false;
  for (const ha::Target* t : nodes) {
    auto st = on_node(*t, ha::marker_delete_command(), timeout);
    if (st) {
      deleted = true;
      if (!detail.empty()) detail += ' ';
      detail += "on=";
      detail += t->endpoint.to_string();
    }
  }
  journal.record("clear-marker", start, deleted, deleted ? detail : "no node took the DEL (the marker expires by itself)");
}

// A rollback must also undo what the automation did while following the
// marker: each host moved its own preference towards the node the marker
// named, and would carry the role over after all (or fight the restored VIP)
// once the marker is gone. So before the mover is restored, the marker is
// replaced by one naming the old master, which the automation follows back
// (vip-notify within its 3 s reconcile pass, vipd at its next health check);
// it expires rollback_marker_tail after vipctl is done.
constexpr milliseconds rollback_marker_tail{5000};

bool set_rollback_marker(Journal& journal, const ha::SwitchoverMarker& marker, const ha::Target& old_master,
                         milliseconds ttl, milliseconds timeout) {
  const ha::SwitchoverMarker back{marker.from, marker.to, "rollback", marker.by, marker.started_ms};
  return journal.run("rollback-marker", [&] {
    return on_node(old_master, ha::marker_set_command(back, ttl, false), timeout);
  }, fmt::format("to={} px={}", back.to, ttl.count()));
}

// Rolled back: the rollback marker lives on a little (see above). Not: the
// operator must act and automation resumes at once.
void end_rollback(Journal& journal, bool rolled_back, const ha::Target& old_master,
                  const std::vector<const ha::Target*>& both, milliseconds timeout) {
  if (rolled_back && journal.run("rollback-marker-expiry", [&] {
        return on_node(old_master, ha::marker_expire_command(rollback_marker_tail), timeout);
      }, fmt::format("px={}", rollback_marker_tail.count()))) {
    return;
  }
  clear_marker(journal, both, timeout);
}

ha::Outcome switch_roles(Method method, const ha::Target& from, const ha::Target& to,
                         const redis::Endpoint& to_advertised, milliseconds timeout) {
  if (method == Method::failover) return ha::failover_to(from, to, {timeout, to_advertised});
  ha::TakeoverOptions options;
  options.sync_wait = timeout;
  options.pause = timeout;
  options.local_advertised = to_advertised;
  return ha::takeover(to, from, options);
}

// Observe, decide (settle), act, until the roles are settled one way or the
// other. Returns kept, switched or operator_needed.
SettleAction settle_roles(Journal& journal, const ha::Target& from, const ha::Target& to,
                          const redis::Endpoint& from_advertised, milliseconds timeout) {
  for (int round = 0; round < settle_rounds; ++round) {
    const auto start = Clock::now();
    const ha::NodeState o = ha::observe(from.endpoint, from.credentials, Clock::now() + timeout);
    const ha::NodeState n = ha::observe(to.endpoint, to.credentials, Clock::now() + timeout);
    const Settlement s = settle(o, n);
    journal.record("settle", start, s.action != SettleAction::operator_needed,
                   fmt::format("action={} reason={} old=[{}] new=[{}]", to_token(s.action), s.reason, o.summary(),
                               n.summary()));
    switch (s.action) {
      case SettleAction::kept:
        // FAILOVER's abort and takeover's rollback unpause by themselves;
        // this makes sure, whatever path got us here.
        journal.run("unpause-old-master", [&] { return with_node(from, timeout, redis::unpause_writes); });
        return s.action;
      case SettleAction::switched:
      case SettleAction::operator_needed:
        return s.action;
      case SettleAction::abort_failover:
        journal.run("failover-abort", [&] { return with_node(from, timeout, redis::failover_abort); });
        break;
      case SettleAction::repoint_new:
        journal.add(ha::repoint(to, ha::Target{from_advertised, from.credentials}, false, timeout));
        break;
      case SettleAction::promote_old:
        journal.add(ha::promote(from, false, timeout));
        break;
    }
  }
  return SettleAction::operator_needed;
}

// Until the VIP sits on the expected side of this host's interfaces and —
// when `answered` (always when it is to be on the other host: positive
// evidence, not just "gone from here") — the Redis answering on it is the
// expected one (run_id).
bool wait_vip(Journal& journal, const std::string& step, const SwitchoverConfig& c, const ha::Target& expected,
              const std::string& expected_run_id, bool expect_local, bool answered) {
  answered = answered || !expect_local;
  const auto start = Clock::now();
  const auto deadline = start + c.vip_timeout;
  std::string local = "unknown";  // on a local interface: yes / no / unknown
  VipView v;
  for (;;) {
    auto here = common::is_local_address(*c.vip);
    if (here) local = here.value() ? "yes" : "no";
    if (here && here.value() == expect_local) {
      if (!answered) return journal.record(step, start, true, *c.vip + " on a local interface");
      v = probe_vip(*c.vip, c.vip_port, expected.credentials, std::min(deadline, Clock::now() + c.exchange_timeout));
      if (v.run_id == expected_run_id) {
        return journal.record(step, start, true,
                              fmt::format("{}:{} answered by {}", *c.vip, c.vip_port, expected.endpoint.to_string()));
      }
    }
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(vip_poll);
  }
  return journal.record(step, start, false,
                        fmt::format("{} not {} within {} ms (on a local interface: {}; answered by run_id {} {})",
                                    *c.vip, expect_local ? "here" : "on " + expected.endpoint.to_string(),
                                    c.vip_timeout.count(), local,
                                    v.run_id.value_or("none"), v.error));
}

bool wait_linked(Journal& journal, const ha::Target& old_master, const redis::Endpoint& new_advertised,
                 milliseconds timeout) {
  const auto start = Clock::now();
  const auto deadline = start + timeout;
  ha::NodeState o;
  for (;;) {
    o = ha::observe(old_master.endpoint, old_master.credentials, std::min(deadline, Clock::now() + timeout));
    if (o.is_synced_replica() && o.replicates_from(new_advertised)) {
      return journal.record("old-master-linked", start, true, o.summary());
    }
    if (Clock::now() >= deadline) return journal.record("old-master-linked", start, false, o.summary());
    std::this_thread::sleep_for(link_poll);
  }
}

}  // namespace

std::string_view to_token(Operation op) { return op == Operation::promote ? "promote" : "demote"; }

std::string_view to_token(SwitchResult r) {
  switch (r) {
    case SwitchResult::switched: return "switched";
    case SwitchResult::already: return "already";
    case SwitchResult::dry_run: return "dry-run";
    case SwitchResult::refused: return "refused";
    case SwitchResult::rolled_back: return "rolled-back";
    case SwitchResult::rollback_failed: return "rollback-failed";
  }
  return "refused";
}

int exit_code(const SwitchoverReport& r) {
  switch (r.result) {
    case SwitchResult::switched: return r.reason.empty() ? common::exit_ok : common::exit_failed;
    case SwitchResult::already: return common::exit_ok;
    case SwitchResult::dry_run: return r.preflight.ok() ? common::exit_ok : common::exit_failed;
    case SwitchResult::refused:
    case SwitchResult::rolled_back: return common::exit_failed;
    case SwitchResult::rollback_failed: return common::exit_operator;
  }
  return common::exit_failed;
}

SwitchoverReport run_switchover(const SwitchoverConfig& c, VipMover& mover, const StepSink& on_step) {
  const auto started = Clock::now();
  SwitchoverReport report;
  report.op = c.op;
  report.mover = std::string(mover.name());
  Journal journal(report.steps, on_step);
  const Roles r = roles_of(c);
  report.from = r.old_advertised.to_string();
  report.to = r.new_advertised.to_string();
  auto finish = [&](SwitchResult result, std::string reason) -> SwitchoverReport& {
    report.result = result;
    report.reason = std::move(reason);
    report.total = ha::since(started);
    return report;
  };

  // Preflight: observe, check, change nothing. Right after a switchover the
  // old master may take a moment to re-link and be listed: a failure of
  // only such checks is looked at again, for a bounded time.
  const auto settle_deadline = Clock::now() + std::min(c.timeout, preflight_settle);
  NodeView old_view, new_view;
  for (;;) {
    old_view = inspect(r.old_master, Clock::now() + c.exchange_timeout);
    new_view = inspect(r.new_master, Clock::now() + c.exchange_timeout);
    if (already_done(c, r, old_view, new_view)) return finish(SwitchResult::already, "");
    report.method = choose_method(old_view, new_view, c.force_client_pause);
    const Check acl = check_acl({&old_view, &new_view}, c.local.credentials, report.method,
                                Clock::now() + c.exchange_timeout);
    report.preflight = preflight({old_view, new_view, r.new_advertised, c.max_lag, report.method, acl, mover.check()});
    if (c.dry_run || !report.preflight.only_settling() || Clock::now() >= settle_deadline) break;
    std::this_thread::sleep_for(link_poll * 5);
  }
  if (c.dry_run) return finish(SwitchResult::dry_run, report.preflight.ok() ? "" : "preflight-failed");
  if (!report.preflight.ok()) return finish(SwitchResult::refused, "preflight-failed");

  // 1. The marker: automation on both hosts stands still until it is gone.
  const ha::SwitchoverMarker marker{report.to, report.from, std::string(to_token(c.op)), c.by, unix_ms()};
  // Long enough for the switch and, should it come to that, its rollback.
  const milliseconds marker_ttl = (c.timeout + c.vip_timeout) * 2 + milliseconds(5000);
  if (!journal.run("set-marker", [&] { return set_marker(r.old_master, marker, marker_ttl, c.exchange_timeout); },
                   fmt::format("on={} px={}", report.from, marker_ttl.count()))) {
    return finish(SwitchResult::refused, "marker-not-set");
  }
  const std::vector<const ha::Target*> both = {&r.new_master, &r.old_master};

  // 2. With keepalived the VIP goes first, while the old master still takes
  //    every write: a keepalived backup preempts only when its master-down
  //    timer expires (3 adverts), and during that wait the writes keep
  //    succeeding on the old master instead of failing on a demoted one. Once
  //    the VIP is on the new master's host, clients meet a replica (READONLY,
  //    nothing acknowledged) until step 3 — a few ms. vipd holds the VIP only
  //    over a master Redis, so with vipd it follows the role (step 4).
  const bool vip_first = mover.moves_vip() && !mover.follows_role();
  auto start_rollback = [&] {
    return set_rollback_marker(journal, marker, r.old_master, c.vip_timeout + rollback_marker_tail,
                               c.exchange_timeout);
  };
  auto vip_back = [&](const std::string& step) {
    // The VIP returns (or stays) with the role on the old master.
    return journal.run("vip-restore", [&] { return mover.restore(); }) &&
           wait_vip(journal, step, c, r.old_master, old_view.server->run_id, r.to != Direction::to_local, true);
  };
  auto hand_over = [&](bool answered) {
    return journal.run("vip-hand-over", [&] { return mover.hand_over(r.to); }, report.mover) &&
           wait_vip(journal, "wait-vip", c, r.new_master, new_view.server->run_id, r.to == Direction::to_local,
                    answered);
  };
  if (vip_first && !hand_over(false)) {
    const bool back = start_rollback() && vip_back("vip-stays");
    end_rollback(journal, back, r.old_master, both, c.exchange_timeout);
    return finish(back ? SwitchResult::rolled_back : SwitchResult::rollback_failed, "vip-did-not-move");
  }

  // 3. Redis roles, zero-loss: the old master's writes stay paused until the
  //    new one has every byte.
  const ha::Outcome redis_switch = switch_roles(report.method, r.old_master, r.new_master, r.new_advertised, c.timeout);
  journal.add(redis_switch);
  report.write_pause = redis_switch.write_pause;
  if (!redis_switch.ok) {
    const SettleAction s = settle_roles(journal, r.old_master, r.new_master, r.old_advertised, c.exchange_timeout);
    if (s != SettleAction::switched) {
      const bool back = s == SettleAction::kept && start_rollback() && (!vip_first || vip_back("wait-vip-back"));
      end_rollback(journal, back, r.old_master, both, c.exchange_timeout);
      return finish(back ? SwitchResult::rolled_back : SwitchResult::rollback_failed, redis_switch.reason);
    }
    // The switch completed after all (a late hand-over): go on.
  }

  // 4. vipd: the VIP follows the role now.
  if (mover.moves_vip() && !vip_first && !hand_over(true)) {
    // Back the way we came, Redis first (the VIP follows the role back),
    // zero-loss again; FAILOVER TO accepts only an online replica, so let
    // the old master link first.
    wait_linked(journal, r.old_master, r.new_advertised, c.timeout);
    const ha::Outcome back_switch = switch_roles(report.method, r.new_master, r.old_master, r.old_advertised, c.timeout);
    journal.add(back_switch);
    const bool roles_back =
        back_switch.ok ||
        settle_roles(journal, r.new_master, r.old_master, r.new_advertised, c.exchange_timeout) == SettleAction::switched;
    const bool back = roles_back && start_rollback() && vip_back("wait-vip-back");
    end_rollback(journal, back, r.old_master, both, c.exchange_timeout);
    return finish(back ? SwitchResult::rolled_back : SwitchResult::rollback_failed, "vip-did-not-move");
  }

  // 5. The VIP answers from the new master, the old master follows it; then
  //    automation may act again.
  const bool answering = !vip_first || wait_vip(journal, "vip-answers", c, r.new_master, new_view.server->run_id,
                                                r.to == Direction::to_local, true);
  const bool linked = wait_linked(journal, r.old_master, r.new_advertised, c.timeout);
  clear_marker(journal, both, c.exchange_timeout);
  return finish(SwitchResult::switched, !answering ? "vip-not-answering" : linked ? "" : "old-master-not-linked");
}

}  // namespace vipkit::vipctl
