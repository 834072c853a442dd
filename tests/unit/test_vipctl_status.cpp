#include <catch2/catch.hpp>

#include <cerrno>

#include "node_builders.hpp"
#include "vipctl/status.hpp"
#include "vipctl/status_render.hpp"

using namespace vipkit;
using namespace vipkit::test;
using vipctl::NodeView;
using vipctl::PairStatus;

namespace {

const redis::Endpoint a{"192.0.2.11", 16465, ""};
const redis::Endpoint b{"192.0.2.12", 16465, ""};

NodeView view(const redis::Endpoint& at, ha::NodeState state, const std::string& run_id) {
  NodeView v;
  v.endpoint = at;
  v.state = std::move(state);
  if (v.state.reachable) v.server = redis::ServerInfo{{7, 0, 15}, run_id};
  return v;
}

vipctl::VipView vip_answered_by(const std::string& run_id, bool local) {
  return {"192.0.2.100", 16465, local, run_id, ""};
}

// Seen from host b: local = b (replica of a), peer = a (master), VIP on a.
PairStatus healthy_pair() {
  PairStatus s;
  s.instance = "redis_16465";
  s.local = view(b, replica(history_a, 900, 10, a.host, a.port, true), "run-b");
  s.peer = view(a, master(history_a, 1000, 10), "run-a");
  s.vip = vip_answered_by("run-a", false);
  return s;
}

std::vector<std::string> reasons(const PairStatus& s) {
  std::vector<std::string> out;
  for (const auto& f : vipctl::assess_health(s).findings) out.push_back(f.reason);
  return out;
}

using Reasons = std::vector<std::string>;

}  // namespace

TEST_CASE("status: one master holding the VIP with a linked replica is healthy", "[vipctl][status]") {
  const auto h = vipctl::assess_health(healthy_pair());
  CHECK(h.healthy);
  CHECK(h.findings.empty());
}

TEST_CASE("status: each way of being unhealthy is named", "[vipctl][status]") {
  PairStatus s = healthy_pair();
  SECTION("peer down") {
    s.peer = view(a, down(), "");
    s.vip = vipctl::VipView{"192.0.2.100", 16465, false, std::nullopt, "Connection refused"};
    CHECK(reasons(s) == Reasons{"peer-unreachable", "vip-unanswered"});
  }
  SECTION("local loading") {
    s.local = view(b, loading_node(), "run-b");
    CHECK(reasons(s) == Reasons{"local-loading"});
  }
  SECTION("two masters (a split)") {
    s.local = view(b, promoted(history_b, 950, 10, history_a, 900), "run-b");
    CHECK(reasons(s) == Reasons{"two-masters"});
  }
  SECTION("no master") {
    s.peer = view(a, replica(history_a, 1000, 10, b.host, b.port, false), "run-a");
    CHECK(reasons(s) == Reasons{"no-master"});
  }
  SECTION("replica link down") {
    s.local.state.link_up = false;
    CHECK(reasons(s) == Reasons{"replica-link-down"});
  }
  SECTION("replica in a full sync") {
    s.local.state.sync_in_progress = true;
    CHECK(reasons(s) == Reasons{"replica-syncing"});
  }
  SECTION("replica of a third node") {
    s.local = view(b, replica(history_c, 10, 1, "192.0.2.99", 16465, true), "run-b");
    CHECK(reasons(s) == Reasons{"replica-of-other-master"});
  }
  SECTION("VIP answered by the replica") {
    s.vip = vip_answered_by("run-b", true);
    CHECK(reasons(s) == Reasons{"vip-not-on-master"});
  }
  SECTION("VIP on this host's interface while the master is the peer") {
    s.vip = vip_answered_by("run-a", true);
    CHECK(reasons(s) == Reasons{"vip-not-on-master"});
  }
  SECTION("VIP answered by some other Redis") {
    s.vip = vip_answered_by("run-x", false);
    CHECK(reasons(s) == Reasons{"vip-on-other-redis"});
  }
  SECTION("a switchover is running") {
    s.peer.state.switchover = ha::SwitchoverMarker{"192.0.2.12:16465", "192.0.2.11:16465", "promote", "vipctl@b", 1};
    CHECK(reasons(s) == Reasons{"switchover-in-progress"});
  }
}

TEST_CASE("status: a replica still connecting to the local master is linked by --self, not yet by replid",
          "[vipctl][status]") {
  // Seen from a, which reaches its own Redis on loopback.
  PairStatus s;
  s.local = view({"127.0.0.1", 16465, ""}, master(history_a, 1000, 10), "run-a");
  s.peer = view(b, replica(history_b, 0, 0, a.host, a.port, false), "run-b");
  CHECK(reasons(s) == Reasons{"replica-of-other-master"});
  s.local_advertised = a;
  CHECK(reasons(s) == Reasons{"replica-link-down"});
}

TEST_CASE("status: without --vip the VIP is not judged", "[vipctl][status]") {
  PairStatus s = healthy_pair();
  s.vip.reset();
  CHECK(vipctl::assess_health(s).healthy);
}

TEST_CASE("status --json: shape scripts rely on", "[vipctl][status]") {
  PairStatus s = healthy_pair();
  s.local.state.link_up = false;
  const auto j = vipctl::status_json(s, vipctl::assess_health(s));
  CHECK(j["healthy"] == false);
  CHECK(j["findings"][0]["reason"] == "replica-link-down");
  CHECK(j["nodes"]["local"]["role"] == "replica");
  CHECK(j["nodes"]["local"]["lag_bytes"] == 100);
  CHECK(j["nodes"]["local"]["link_up"] == false);
  CHECK(j["nodes"]["local"]["master"] == "192.0.2.11:16465");
  CHECK(j["nodes"]["peer"]["role"] == "master");
  CHECK(j["nodes"]["peer"]["version"] == "7.0.15");
  CHECK(j["nodes"]["peer"]["run_id"] == "run-a");
  CHECK(j["vip"]["answered_by"] == "peer");
  CHECK(j["vip"]["local"] == false);
  CHECK(j["switchover"].is_null());
  CHECK(j["transitions"].is_array());

  s.peer = view(a, down(), "");
  const auto down_json = vipctl::status_json(s, vipctl::assess_health(s));
  CHECK(down_json["nodes"]["peer"]["reachable"] == false);
  CHECK(down_json["nodes"]["peer"]["error"] == "Connection refused");
  CHECK_FALSE(down_json["nodes"]["peer"].contains("role"));
}

TEST_CASE("status: vip-notify's state file, good and hostile", "[vipctl][status]") {
  using nlohmann::json;
  const std::string path = "/var/lib/vipkit/r.json";
  auto from = [&](const IoResult<json>& loaded) { return vipctl::vrrp_from_state(loaded, path, 5); };
  SECTION("none yet: nothing recorded, no problem") {
    const auto v = from(json::object());
    CHECK(v.source.empty());
    CHECK(v.detail == "no transition recorded in " + path);
    CHECK(v.problems.empty());
  }
  SECTION("a good file: state and the last transitions without their bulk") {
    const json doc = {{"last", {{"state", "backup"}}},
                      {"history", {{{"time", "t1"}, {"action", "repoint"}, {"local", {{"role", "replica"}}}}}}};
    const auto v = from(doc);
    CHECK(v.source == "vip-notify");
    CHECK(v.state == "backup");
    REQUIRE(v.transitions.size() == 1);
    CHECK(v.transitions[0]["action"] == "repoint");
    CHECK_FALSE(v.transitions[0].contains("local"));
    CHECK(v.problems.empty());
  }
  SECTION("hostile: one finding naming the file and the field, nothing half-read") {
    const std::pair<json, std::string> cases[] = {
        {json::array({1}), "state file " + path + " is not a JSON object (it is array)"},
        {json(nullptr), "state file " + path + " is not a JSON object (it is null)"},
        {{{"instance", "r"}}, "state file " + path + ": \"last\" is missing"},
        {{{"last", "backup"}}, "state file " + path + ": \"last\" is string, expected an object"},
        {{{"last", {{"state", 7}}}}, "state file " + path + ", \"last\": \"state\" is number, expected a string"},
        {{{"last", json::object()}, {"history", {{"x", 1}}}},
         "state file " + path + ": \"history\" is object, expected an array"},
        {{{"last", json::object()}, {"history", {{{"time", 1}}}}},
         "state file " + path + ", history[0]: \"time\" is number, expected a string"},
        {{{"last", json::object()}, {"history", {"text"}}},
         "state file " + path + ", history[0] is not a JSON object (it is string)"},
    };
    for (const auto& [doc, error] : cases) {
      INFO(doc.dump());
      const auto v = from(doc);
      REQUIRE(v.problems.size() == 1);
      CHECK(v.problems[0].reason == "state-file-invalid");
      CHECK(v.problems[0].detail == error);
      CHECK(v.transitions.empty());
      CHECK(v.state.empty());
    }
  }
  SECTION("unreadable or torn: the loader's error is the finding") {
    const auto v = from(IoError{EINVAL, "state file x is not JSON: parse error"});
    REQUIRE(v.problems.size() == 1);
    CHECK(v.problems[0].detail == "state file x is not JSON: parse error");
  }
  SECTION("a problem makes the pair unhealthy, after the node findings") {
    PairStatus s = healthy_pair();
    s.vrrp = from(json::array());
    const auto h = vipctl::assess_health(s);
    CHECK_FALSE(h.healthy);
    REQUIRE(h.findings.size() == 1);
    CHECK(h.findings[0].reason == "state-file-invalid");
    CHECK_THAT(vipctl::status_table(s, h), Catch::Contains("  ! state-file-invalid: state file " + path));
  }
}

TEST_CASE("status: vipd's answer, good and hostile", "[vipctl][status]") {
  using nlohmann::json;
  vipctl::VrrpView file;
  file.transitions = json::array({{{"action", "promote"}}});
  file.problems.push_back({"state-file-invalid", "x"});
  const auto good = vipctl::vrrp_from_vipd_answer(
      json{{"ok", true}, {"state", "master"}, {"priority", 100}, {"effective_priority", 130}, {"preference", 2},
           {"master_ip", ""}},
      "/run/vipkit/r.sock", file);
  CHECK(good.source == "vipd");
  CHECK(good.state == "master");
  CHECK(good.detail == "/run/vipkit/r.sock, priority 130 (configured 100, preference 2), master seen -");
  CHECK(good.transitions.size() == 1);
  CHECK(good.problems.size() == 1);  // the file's problem is kept
  const auto bad = vipctl::vrrp_from_vipd_answer(json{{"ok", true}, {"state", json::array()}}, "/run/vipkit/r.sock", {});
  CHECK(bad.source.empty());
  REQUIRE(bad.problems.size() == 1);
  CHECK(bad.problems[0].reason == "vipd-answer-invalid");
  CHECK(bad.problems[0].detail == "/run/vipkit/r.sock: vipd's answer: \"state\" is array, expected a string");
  const auto down = vipctl::vrrp_from_vipd_answer(IoError{ECONNREFUSED, "connect: refused"},
                                                  "/run/vipkit/r.sock", {});
  CHECK(down.detail == "vipd: connect: refused");
  CHECK(down.problems.empty());  // unreachable is not a broken answer
}

TEST_CASE("status --format prometheus: the pair for node_exporter's textfile collector", "[vipctl][status][metrics]") {
  PairStatus s = healthy_pair();
  s.local.state.link_up = false;
  s.vrrp.state = "backup";
  const std::string l = R"(instance="redis_16465")";
  const std::string expected =
      "# HELP vipkit_pair_healthy 1 when vipctl status finds the pair healthy (exit 0).\n"
      "# TYPE vipkit_pair_healthy gauge\n"
      "vipkit_pair_healthy{" + l + "} 0\n"
      "# HELP vipkit_pair_finding One series per problem vipctl status found, by reason.\n"
      "# TYPE vipkit_pair_finding gauge\n"
      "vipkit_pair_finding{" + l + ",reason=\"replica-link-down\"} 1\n"
      "# HELP vipkit_redis_up 1 when the node answered and is not loading.\n"
      "# TYPE vipkit_redis_up gauge\n"
      "vipkit_redis_up{" + l + ",node=\"local\"} 1\n"
      "vipkit_redis_up{" + l + ",node=\"peer\"} 1\n"
      "# HELP vipkit_redis_is_master 1 for a master, 0 for a replica (answering nodes only).\n"
      "# TYPE vipkit_redis_is_master gauge\n"
      "vipkit_redis_is_master{" + l + ",node=\"local\"} 0\n"
      "vipkit_redis_is_master{" + l + ",node=\"peer\"} 1\n"
      "# HELP vipkit_redis_master_link_up A replica's link to its master (replicas only).\n"
      "# TYPE vipkit_redis_master_link_up gauge\n"
      "vipkit_redis_master_link_up{" + l + ",node=\"local\"} 0\n"
      "# HELP vipkit_redis_master_repl_offset Replication offset (a replica's: processed).\n"
      "# TYPE vipkit_redis_master_repl_offset gauge\n"
      "vipkit_redis_master_repl_offset{" + l + ",node=\"local\"} 900\n"
      "vipkit_redis_master_repl_offset{" + l + ",node=\"peer\"} 1000\n"
      "# HELP vipkit_replication_lag_bytes Bytes a replica has yet to process of the other node's stream.\n"
      "# TYPE vipkit_replication_lag_bytes gauge\n"
      "vipkit_replication_lag_bytes{" + l + ",node=\"local\"} 100\n"
      "# HELP vipkit_vrrp_state This host's VRRP state: 0 initialize or stop, 1 backup, 2 master, 3 fault.\n"
      "# TYPE vipkit_vrrp_state gauge\n"
      "vipkit_vrrp_state{" + l + "} 1\n"
      "# HELP vipkit_vip_answered_by Which Redis answers on the VIP: local, peer, other or none.\n"
      "# TYPE vipkit_vip_answered_by gauge\n"
      "vipkit_vip_answered_by{" + l + ",node=\"peer\"} 1\n"
      "# HELP vipkit_switchover_in_progress 1 while a node carries vipctl's switchover marker.\n"
      "# TYPE vipkit_switchover_in_progress gauge\n"
      "vipkit_switchover_in_progress{" + l + "} 0\n";
  CHECK(vipctl::status_prometheus(s, vipctl::assess_health(s)) == expected);

  // A peer down: no role, offset nor lag invented for it; the VRRP state unknown: no sample.
  s.peer = view(a, down(), "");
  s.vrrp.state.clear();
  const std::string text = vipctl::status_prometheus(s, vipctl::assess_health(s));
  CHECK(text.find("vipkit_redis_up{" + l + ",node=\"peer\"} 0\n") != std::string::npos);
  CHECK(text.find("node=\"peer\"} 1000") == std::string::npos);
  CHECK(text.find("vipkit_replication_lag_bytes{") == std::string::npos);
  CHECK(text.find("vipkit_vrrp_state{") == std::string::npos);
}
