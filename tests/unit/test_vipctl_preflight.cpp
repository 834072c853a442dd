#include <catch2/catch.hpp>

#include "node_builders.hpp"
#include "vipctl/acl_check.hpp"
#include "vipctl/preflight.hpp"

using namespace vipkit;
using namespace vipkit::test;
using vipctl::Check;
using vipctl::CheckStatus;
using vipctl::NodeView;

namespace {

const redis::Endpoint a{"192.0.2.11", 16465, ""};
const redis::Endpoint b{"192.0.2.12", 16465, ""};

NodeView view(const redis::Endpoint& at, ha::NodeState state, redis::Version version) {
  NodeView v;
  v.endpoint = at;
  v.state = std::move(state);
  if (v.state.reachable) v.server = redis::ServerInfo{version, "run-" + at.host};
  return v;
}

struct Pair {
  NodeView old_master = view(a, master(history_a, 1000, 10), {7, 0, 15});
  NodeView new_master = view(b, replica(history_a, 1000, 10, a.host, a.port, true), {7, 0, 15});
  Pair() { old_master.replicas = {{b.host, b.port, 1000}}; }
};

const Check acl_ok{"acl", CheckStatus::pass, "user default may run every command needed"};
const Check mover_ok{"vip-mover", CheckStatus::pass, "keepalived"};

vipctl::Preflight run(const Pair& p, long long max_lag = 1 << 20, Check acl = acl_ok, Check mover = mover_ok) {
  const auto method = vipctl::choose_method(p.old_master, p.new_master, false);
  return vipctl::preflight({p.old_master, p.new_master, b, max_lag, method, std::move(acl), std::move(mover)});
}

// name -> status of every check, in order.
std::vector<std::string> failed(const vipctl::Preflight& p) {
  std::vector<std::string> out;
  for (const auto& c : p.checks) {
    if (c.status == CheckStatus::fail) out.push_back(c.name);
  }
  return out;
}

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("preflight: a linked, caught-up replica of the master passes every check, in order", "[vipctl][preflight]") {
  const auto p = run(Pair{});
  CHECK(p.ok());
  Names names;
  for (const auto& c : p.checks) names.push_back(c.name);
  CHECK(names == Names{"old-master", "replica-of-old-master", "link-up", "lag", "versions", "target-address",
                       "no-switchover-running", "acl", "vip-mover"});
  CHECK(p.checks[4].detail == "old master 7.0.15, new master 7.0.15: FAILOVER TO");
}

TEST_CASE("preflight: each unsafe or impossible switch is refused by the check that names it", "[vipctl][preflight]") {
  Pair p;
  SECTION("the old master is down") {
    p.old_master = view(a, down(), {});
    CHECK(failed(run(p)) == Names{"old-master", "replica-of-old-master", "lag", "versions", "target-address"});
  }
  SECTION("the local node is a master (promote run on the wrong host)") {
    p.new_master = view(b, master(history_b, 10, 1), {7, 0, 15});
    CHECK(failed(run(p)) == Names{"replica-of-old-master", "link-up", "lag"});
  }
  SECTION("the replica's link is down") {
    p.new_master.state.link_up = false;
    CHECK(failed(run(p)) == Names{"link-up"});
  }
  SECTION("a full sync is running") {
    p.new_master.state.sync_in_progress = true;
    CHECK(failed(run(p)) == Names{"link-up"});
  }
  SECTION("lag above --max-lag") {
    p.new_master.state.offset = 400;
    CHECK(failed(run(p, 500)) == Names{"lag"});
    CHECK(run(p, 600).ok());
  }
  SECTION("the old master does not list the new master under the address we would give FAILOVER TO") {
    p.old_master.replicas = {{"10.0.0.9", 16465, 1000}};
    const auto pf = run(p);
    CHECK(failed(pf) == Names{"target-address"});
    CHECK(pf.checks[5].detail.find("10.0.0.9:16465") != std::string::npos);
  }
  SECTION("another switchover's marker") {
    p.new_master.state.switchover = ha::SwitchoverMarker{"x:1", "y:2", "promote", "vipctl@c pid=1", 1};
    CHECK(failed(run(p)) == Names{"no-switchover-running"});
  }
  SECTION("the ACL user lacks a right; the VIP mover cannot act") {
    CHECK(failed(run(p, 1 << 20, {"acl", CheckStatus::fail, "no FAILOVER"},
                     {"vip-mover", CheckStatus::fail, "not writable"})) == Names{"acl", "vip-mover"});
  }
  SECTION("unknown ACL rights do not block") {
    CHECK(run(p, 1 << 20, {"acl", CheckStatus::unknown, "Redis 6.0"}).ok());
  }
}

TEST_CASE("preflight: FAILOVER needs 6.2 on both nodes, otherwise (or when forced) CLIENT PAUSE", "[vipctl][preflight]") {
  Pair p;
  CHECK(vipctl::choose_method(p.old_master, p.new_master, false) == vipctl::Method::failover);
  CHECK(vipctl::choose_method(p.old_master, p.new_master, true) == vipctl::Method::client_pause);
  p.new_master.server->version = {6, 0, 16};
  CHECK(vipctl::choose_method(p.old_master, p.new_master, false) == vipctl::Method::client_pause);
  p.new_master.server->version = {6, 2, 0};
  CHECK(vipctl::choose_method(p.old_master, p.new_master, false) == vipctl::Method::failover);
  p.old_master.server.reset();
  CHECK(vipctl::choose_method(p.old_master, p.new_master, false) == vipctl::Method::client_pause);
}

TEST_CASE("ACL: DRYRUN replies and the verdict over both nodes", "[vipctl][acl]") {
  using redis::Reply;
  const auto ok = vipctl::classify_dryrun("a failover", redis::Result<Reply>(Reply::make_status("OK")));
  const auto denied = vipctl::classify_dryrun(
      "a failover", redis::Result<Reply>(Reply::make_string("User ops has no permissions to run the 'failover' command")));
  const auto cannot_ask = vipctl::classify_dryrun(
      "b acl", redis::Result<Reply>(redis::Error{redis::ErrorCode::reply_error, "NOPERM this user has no permissions to run the 'acl|dryrun' command"}));
  CHECK(ok.status == CheckStatus::pass);
  CHECK(denied.status == CheckStatus::fail);
  CHECK(cannot_ask.status == CheckStatus::unknown);

  CHECK(vipctl::summarize_acl("ops", {ok, ok}).status == CheckStatus::pass);
  const auto no = vipctl::summarize_acl("ops", {ok, denied, cannot_ask});
  CHECK(no.status == CheckStatus::fail);
  CHECK(no.detail == "user ops may not run: a failover");
  CHECK(vipctl::summarize_acl("ops", {ok, cannot_ask}).status == CheckStatus::unknown);
}

TEST_CASE("ACL: the commands asked for follow the method", "[vipctl][acl]") {
  auto has = [](const std::vector<std::vector<std::string>>& commands, const std::string& name) {
    for (const auto& c : commands) {
      if (c[0] == name) return true;
    }
    return false;
  };
  const auto failover = vipctl::commands_needed(vipctl::Method::failover);
  const auto pause = vipctl::commands_needed(vipctl::Method::client_pause);
  CHECK(has(failover, "FAILOVER"));
  CHECK_FALSE(has(pause, "FAILOVER"));
  CHECK(has(failover, "SET"));
  CHECK(has(pause, "REPLICAOF"));
}

TEST_CASE("preflight: only the checks a settling pair passes a moment later are looked at again",
          "[vipctl][preflight]") {
  using vipctl::Check;
  using vipctl::CheckStatus;
  vipctl::Preflight p;
  p.checks = {Check{"old-master", CheckStatus::pass, ""}, Check{"target-address", CheckStatus::fail, ""},
              Check{"link-up", CheckStatus::fail, ""}};
  CHECK(p.only_settling());
  p.checks.push_back(Check{"no-switchover-running", CheckStatus::fail, ""});
  CHECK_FALSE(p.only_settling());  // another switchover: final
  p.checks = {Check{"old-master", CheckStatus::pass, ""}};
  CHECK_FALSE(p.only_settling());  // nothing failed: nothing to wait for
}
