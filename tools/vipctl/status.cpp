#include "vipctl/status.hpp"

#include <fmt/format.h>

#include "common/control_client.hpp"
#include "common/state_file.hpp"

namespace vipkit::vipctl {

namespace {

using redis::Clock;
using std::chrono::milliseconds;

std::string error_text(const ha::NodeState& n) { return n.error ? n.error->message : std::string("unknown"); }

// The last `count` transitions vip-notify recorded, without the bulky
// per-node snapshots.
VrrpView vrrp_from_state_file(const std::string& state_dir, const std::string& instance, std::size_t count) {
  VrrpView v;
  const std::string path = state_dir + "/" + instance + ".json";
  const nlohmann::json doc = common::read_state(state_dir, instance);
  const auto last = doc.find("last");
  if (last == doc.end() || !last->is_object()) {
    v.detail = "no transition recorded in " + path;
    return v;
  }
  v.source = "vip-notify";
  v.detail = path;
  v.state = last->value("state", "");
  const auto history = doc.find("history");
  if (history != doc.end() && history->is_array()) {
    const std::size_t first = history->size() > count ? history->size() - count : 0;
    for (std::size_t i = first; i < history->size(); ++i) {
      nlohmann::json t = (*history)[i];
      if (!t.is_object()) continue;
      for (const char* bulky : {"local", "peer", "steps"}) t.erase(bulky);
      v.transitions.push_back(std::move(t));
    }
  }
  return v;
}

// vipd knows its VRRP state itself; the transitions are in the same state
// file vip-notify writes.
VrrpView vrrp_from_vipd(const std::string& socket, milliseconds timeout, VrrpView from_file) {
  VrrpView v;
  v.transitions = std::move(from_file.transitions);
  auto status = common::control_request(socket, {{"cmd", "status"}}, timeout);
  if (!status) {
    v.detail = "vipd: " + status.error().message;
    return v;
  }
  const auto& s = status.value();
  v.source = "vipd";
  v.state = s.value("state", "");
  v.detail = fmt::format("{}, priority {} (configured {}, preference {}), master seen {}", socket,
                         s.value("effective_priority", 0), s.value("priority", 0), s.value("preference", 0),
                         s.value("master_ip", std::string("-")));
  return v;
}

}  // namespace

std::optional<ha::SwitchoverMarker> marker_of(const PairStatus& s) {
  if (s.local.state.switchover) return s.local.state.switchover;
  return s.peer.state.switchover;
}

Health assess_health(const PairStatus& s) {
  Health h;
  auto find = [&](std::string reason, std::string detail) {
    h.findings.push_back({std::move(reason), std::move(detail)});
  };
  const struct {
    const char* name;
    const NodeView& node;
  } nodes[] = {{"local", s.local}, {"peer", s.peer}};
  bool usable = true;
  for (const auto& [name, node] : nodes) {
    if (!node.state.reachable) {
      // Connection errors already name the endpoint; reply errors do not.
      const std::string who = node.endpoint.to_string();
      const std::string error = error_text(node.state);
      find(fmt::format("{}-unreachable", name), error.starts_with(who) ? error : who + ": " + error);
      usable = false;
    } else if (node.state.loading) {
      find(fmt::format("{}-loading", name), node.endpoint.to_string() + " is loading its dataset");
      usable = false;
    }
  }

  const NodeView* master = nullptr;
  const char* master_name = "";
  if (usable) {
    const bool local_master = s.local.state.is_master();
    const bool peer_master = s.peer.state.is_master();
    if (local_master && peer_master) {
      find("two-masters", "both nodes accept writes");
    } else if (!local_master && !peer_master) {
      find("no-master", "both nodes are replicas");
    } else {
      master = local_master ? &s.local : &s.peer;
      master_name = local_master ? "local" : "peer";
      const NodeView& replica = local_master ? s.peer : s.local;
      const ha::NodeState& r = replica.state;
      // The replica names its master by the address it connects to (the
      // master's --self when the master is the local node); a linked replica
      // also reports its master's replid.
      const bool follows = r.replicates_from(master->endpoint) ||
                           (master == &s.local && s.local_advertised && r.replicates_from(*s.local_advertised)) ||
                           (r.link_up && r.replid == master->state.replid);
      if (!follows) {
        find("replica-of-other-master",
             fmt::format("{} replicates from {}:{}, not from the master {}", replica.endpoint.to_string(),
                         r.master_host, r.master_port, master->endpoint.to_string()));
      } else if (!r.link_up) {
        find("replica-link-down", fmt::format("{}: master_link_status is down", replica.endpoint.to_string()));
      } else if (r.sync_in_progress) {
        find("replica-syncing", fmt::format("{}: full sync running", replica.endpoint.to_string()));
      }
    }
  }

  if (s.vip) {
    const VipHolder holder = holder_of(*s.vip, s.local, s.peer);
    const std::string where = fmt::format("{}:{}", s.vip->address, s.vip->port);
    if (holder == VipHolder::none) {
      find("vip-unanswered", fmt::format("no Redis answers on {}: {}", where, s.vip->error));
    } else if (holder == VipHolder::other) {
      find("vip-on-other-redis", fmt::format("the Redis on {} is neither node (run_id {})", where, *s.vip->run_id));
    } else if (master != nullptr && to_token(holder) != master_name) {
      find("vip-not-on-master", fmt::format("{} is answered by the {} node, the master is the {} node", where,
                                            to_token(holder), master_name));
    } else if (master != nullptr && s.vip->local && *s.vip->local != (master == &s.local)) {
      find("vip-not-on-master", fmt::format("{} is {}on a local interface, the master is the {} node",
                                            s.vip->address, *s.vip->local ? "" : "not ", master_name));
    }
  }

  if (const auto marker = marker_of(s)) {
    find("switchover-in-progress", fmt::format("{} to {} by {}", marker->op, marker->to, marker->by));
  }
  h.healthy = h.findings.empty();
  return h;
}

PairStatus gather_status(const StatusConfig& config) {
  const auto& c = config.instance.connections;
  PairStatus s;
  s.instance = config.instance.instance;
  s.local_advertised = config.instance.self;
  s.local = inspect(c.local, Clock::now() + c.timeout);
  if (c.peer) {
    s.peer = inspect(*c.peer, Clock::now() + c.timeout);
  } else {
    s.peer.state = ha::NodeState::unreachable({redis::ErrorCode::unreachable, "no --peer configured"});
  }
  if (c.vip) s.vip = probe_vip(*c.vip, config.vip_port, c.local.credentials, Clock::now() + c.timeout);
  s.vrrp = vrrp_from_state_file(config.instance.state_dir, config.instance.instance, config.transitions);
  if (config.vipd_socket) s.vrrp = vrrp_from_vipd(*config.vipd_socket, c.timeout, std::move(s.vrrp));
  return s;
}

}  // namespace vipkit::vipctl
