#include "vipctl/status_render.hpp"

#include <fmt/format.h>

#include "common/prometheus_text.hpp"

namespace vipkit::vipctl {

namespace {

std::string master_text(const ha::NodeState& n) {
  return n.role == redis::Role::replica ? fmt::format("{}:{}", n.master_host, n.master_port) : "";
}

nlohmann::json optional_json(const std::optional<long long>& v) { return v ? nlohmann::json(*v) : nullptr; }

}  // namespace

nlohmann::json node_json(const NodeView& node, const NodeView& other) {
  const ha::NodeState& n = node.state;
  nlohmann::json j = {{"address", node.endpoint.to_string()}, {"reachable", n.reachable}};
  if (!n.reachable) {
    j["error"] = n.error ? n.error->message : "";
    return j;
  }
  j["role"] = std::string(redis::to_token(n.role));
  j["loading"] = n.loading;
  j["replid"] = n.replid;
  j["replid2"] = n.replid2;
  j["offset"] = n.offset;
  j["second_offset"] = n.second_offset;
  j["keys"] = n.dbsize;
  j["failover_state"] = n.failover_state;
  j["version"] = version_text(node);
  j["run_id"] = node.server ? node.server->run_id : "";
  if (n.role == redis::Role::replica) {
    j["master"] = master_text(n);
    j["link_up"] = n.link_up;
    j["sync_in_progress"] = n.sync_in_progress;
    j["lag_bytes"] = optional_json(lag_bytes(n, other.state));
  }
  nlohmann::json replicas = nlohmann::json::array();
  for (const auto& r : node.replicas) replicas.push_back({{"address", fmt::format("{}:{}", r.host, r.port)}, {"offset", r.offset}});
  if (n.role == redis::Role::master) j["replicas"] = replicas;
  return j;
}

nlohmann::json status_json(const PairStatus& s, const Health& h) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : h.findings) findings.push_back({{"reason", f.reason}, {"detail", f.detail}});
  nlohmann::json vip = nullptr;
  if (s.vip) {
    vip = {{"address", s.vip->address},
           {"port", s.vip->port},
           {"local", s.vip->local ? nlohmann::json(*s.vip->local) : nullptr},
           {"answered_by", std::string(to_token(holder_of(*s.vip, s.local, s.peer)))},
           {"run_id", s.vip->run_id ? nlohmann::json(*s.vip->run_id) : nullptr}};
    if (!s.vip->error.empty()) vip["error"] = s.vip->error;
  }
  nlohmann::json marker = nullptr;
  if (const auto m = marker_of(s)) {
    marker = {{"to", m->to}, {"from", m->from}, {"op", m->op}, {"by", m->by}, {"started_ms", m->started_ms}};
  }
  return {{"instance", s.instance},
          {"healthy", h.healthy},
          {"findings", findings},
          {"nodes", {{"local", node_json(s.local, s.peer)}, {"peer", node_json(s.peer, s.local)}}},
          {"vip", vip},
          {"vrrp", {{"source", s.vrrp.source}, {"state", s.vrrp.state}, {"detail", s.vrrp.detail}}},
          {"switchover", marker},
          {"transitions", s.vrrp.transitions}};
}

std::string status_prometheus(const PairStatus& s, const Health& h) {
  common::PrometheusText out({{"instance", s.instance}});
  out.family("vipkit_pair_healthy", "gauge", "1 when vipctl status finds the pair healthy (exit 0).")
      .sample("vipkit_pair_healthy", h.healthy ? 1 : 0);
  out.family("vipkit_pair_finding", "gauge", "One series per problem vipctl status found, by reason.");
  for (const auto& f : h.findings) out.sample("vipkit_pair_finding", 1, {{"reason", f.reason}});
  const std::pair<const char*, const NodeView*> nodes[] = {{"local", &s.local}, {"peer", &s.peer}};
  out.family("vipkit_redis_up", "gauge", "1 when the node answered and is not loading.");
  for (const auto& [name, n] : nodes) out.sample("vipkit_redis_up", n->state.reachable && !n->state.loading ? 1 : 0, {{"node", name}});
  out.family("vipkit_redis_is_master", "gauge", "1 for a master, 0 for a replica (answering nodes only).");
  for (const auto& [name, n] : nodes) {
    if (n->state.reachable) out.sample("vipkit_redis_is_master", n->state.role == redis::Role::master ? 1 : 0, {{"node", name}});
  }
  out.family("vipkit_redis_master_link_up", "gauge", "A replica's link to its master (replicas only).");
  for (const auto& [name, n] : nodes) {
    if (n->state.is_replica()) out.sample("vipkit_redis_master_link_up", n->state.link_up ? 1 : 0, {{"node", name}});
  }
  out.family("vipkit_redis_master_repl_offset", "gauge", "Replication offset (a replica's: processed).");
  for (const auto& [name, n] : nodes) {
    if (n->state.reachable) out.sample("vipkit_redis_master_repl_offset", n->state.offset, {{"node", name}});
  }
  out.family("vipkit_replication_lag_bytes", "gauge", "Bytes a replica has yet to process of the other node's stream.");
  for (const auto& [name, n] : nodes) {
    const NodeView& other = n == &s.local ? s.peer : s.local;
    if (const auto lag = lag_bytes(n->state, other.state)) out.sample("vipkit_replication_lag_bytes", *lag, {{"node", name}});
  }
  out.family("vipkit_vrrp_state", "gauge", "This host's VRRP state: 0 initialize or stop, 1 backup, 2 master, 3 fault.");
  if (const auto state = common::vrrp_state_number(s.vrrp.state)) out.sample("vipkit_vrrp_state", *state);
  out.family("vipkit_vip_answered_by", "gauge", "Which Redis answers on the VIP: local, peer, other or none.");
  if (s.vip) out.sample("vipkit_vip_answered_by", 1, {{"node", std::string(to_token(holder_of(*s.vip, s.local, s.peer)))}});
  out.family("vipkit_switchover_in_progress", "gauge", "1 while a node carries vipctl's switchover marker.")
      .sample("vipkit_switchover_in_progress", marker_of(s) ? 1 : 0);
  return out.take();
}

std::string status_table(const PairStatus& s, const Health& h) {
  std::string out = fmt::format("instance {}: {}\n", s.instance, h.healthy ? "healthy" : "NOT healthy");
  for (const auto& f : h.findings) out += fmt::format("  ! {}: {}\n", f.reason, f.detail);

  const NodeView* nodes[] = {&s.local, &s.peer};
  auto row = [&](const char* label, auto&& cell) {
    out += fmt::format("  {:<10} {:<28} {:<28}\n", label, cell(*nodes[0], *nodes[1]), cell(*nodes[1], *nodes[0]));
  };
  out += '\n';
  out += fmt::format("  {:<10} {:<28} {:<28}\n", "", "local", "peer");
  row("address", [](const NodeView& n, const NodeView&) { return n.endpoint.to_string(); });
  row("reachable", [](const NodeView& n, const NodeView&) {
    return n.state.reachable ? std::string("yes") : "no: " + (n.state.error ? n.state.error->message : "");
  });
  if (s.local.state.reachable || s.peer.state.reachable) {
    auto if_up = [](auto&& f) {
      return [f](const NodeView& n, const NodeView& o) { return n.state.reachable ? f(n, o) : std::string("-"); };
    };
    row("role", if_up([](const NodeView& n, const NodeView&) { return std::string(redis::to_token(n.state.role)); }));
    row("version", if_up([](const NodeView& n, const NodeView&) { return version_text(n); }));
    row("loading", if_up([](const NodeView& n, const NodeView&) { return std::string(n.state.loading ? "yes" : "no"); }));
    row("replid", if_up([](const NodeView& n, const NodeView&) { return n.state.replid.substr(0, 12); }));
    row("offset", if_up([](const NodeView& n, const NodeView&) { return std::to_string(n.state.offset); }));
    row("master", if_up([](const NodeView& n, const NodeView&) { return master_text(n.state); }));
    row("link", if_up([](const NodeView& n, const NodeView&) {
      if (n.state.role != redis::Role::replica) return std::string();
      return std::string(n.state.link_up ? "up" : "down") + (n.state.sync_in_progress ? " (full sync)" : "");
    }));
    row("lag", if_up([](const NodeView& n, const NodeView& o) {
      const auto lag = lag_bytes(n.state, o.state);
      return lag ? fmt::format("{} bytes", *lag) : std::string();
    }));
    row("keys", if_up([](const NodeView& n, const NodeView&) { return std::to_string(n.state.dbsize); }));
    row("failover", if_up([](const NodeView& n, const NodeView&) { return n.state.failover_state; }));
  }
  out += '\n';
  if (s.vip) {
    const VipHolder holder = holder_of(*s.vip, s.local, s.peer);
    out += fmt::format("VIP {}:{}: answered by {}{}; {}\n", s.vip->address, s.vip->port, to_token(holder),
                       holder == VipHolder::none ? " (" + s.vip->error + ")" : "",
                       !s.vip->local ? "local interfaces unknown"
                       : *s.vip->local ? "on a local interface"
                                       : "not on a local interface");
  } else {
    out += "VIP: not configured (--vip)\n";
  }
  out += fmt::format("VRRP: {}{}\n", s.vrrp.state.empty() ? "unknown" : s.vrrp.state,
                     s.vrrp.source.empty() ? " (" + s.vrrp.detail + ")"
                                           : " (from " + s.vrrp.source + ": " + s.vrrp.detail + ")");
  if (const auto m = marker_of(s)) out += fmt::format("switchover running: {} to {} by {}\n", m->op, m->to, m->by);
  if (!s.vrrp.transitions.empty()) {
    out += "last transitions:\n";
    for (const auto& t : s.vrrp.transitions) {
      out += fmt::format("  {} {} {} {} {}\n", t.value("time", ""), t.value("state", ""), t.value("action", ""),
                         t.value("reason", ""), t.value("result", ""));
    }
  }
  return out;
}

}  // namespace vipkit::vipctl
