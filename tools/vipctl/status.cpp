#include "vipctl/status.hpp"

#include <fmt/format.h>

#include "common/control_client.hpp"
#include "common/json_fields.hpp"
#include "common/state_file.hpp"
#include "vrrp/vipd/control_protocol.hpp"

namespace vipkit::vipctl {

namespace {

using redis::Clock;

std::string error_text(const ha::NodeState& n) { return n.error ? n.error->message : std::string("unknown"); }

}  // namespace

VrrpView vrrp_from_state(const IoResult<nlohmann::json>& loaded, const std::string& path, std::size_t count) {
  VrrpView v;
  auto invalid = [&](const std::string& error) {
    v.detail = error;
    v.problems.push_back({"state-file-invalid", error});
    return v;
  };
  if (!loaded) return invalid(loaded.error().message);
  const nlohmann::json& doc = loaded.value();
  if (doc.is_object() && doc.empty()) {
    v.detail = "no transition recorded in " + path;
    return v;
  }
  const std::string where = "state file " + path;
  common::JsonFields fields(doc, where);
  const nlohmann::json* last = fields.require({"last"}).object("last");
  const nlohmann::json* history = fields.array("history");
  if (fields.error()) return invalid(*fields.error());
  common::JsonFields last_fields(*last, where + ", \"last\"");
  v.state = last_fields.text("state");
  if (last_fields.error()) return invalid(*last_fields.error());
  if (history) {
    const std::size_t first = history->size() > count ? history->size() - count : 0;
    for (std::size_t i = first; i < history->size(); ++i) {
      nlohmann::json t = (*history)[i];
      // What status_render shows of a transition must be text.
      common::JsonFields shown(t, fmt::format("{}, history[{}]", where, i));
      for (const char* key : {"time", "state", "action", "reason", "result"}) shown.text(key);
      if (shown.error()) return invalid(*shown.error());
      for (const char* bulky : {"local", "peer", "steps"}) t.erase(bulky);
      v.transitions.push_back(std::move(t));
    }
  }
  v.source = "vip-notify";
  v.detail = path;
  return v;
}

VrrpView vrrp_from_vipd_answer(const IoResult<nlohmann::json>& answer, const std::string& socket,
                               VrrpView from_file) {
  VrrpView v;
  v.transitions = std::move(from_file.transitions);
  v.problems = std::move(from_file.problems);
  if (!answer) {
    v.detail = "vipd: " + answer.error().message;
    return v;
  }
  const auto s = vipd::parse_response(answer.value());
  if (!s) {
    v.detail = s.error().message;
    v.problems.push_back({"vipd-answer-invalid", fmt::format("{}: {}", socket, s.error().message)});
    return v;
  }
  v.source = "vipd";
  v.state = s->state;
  v.detail = fmt::format("{}, priority {} (configured {}, preference {}), master seen {}", socket,
                         s->effective_priority, s->priority, s->preference,
                         s->master_ip.empty() ? std::string("-") : s->master_ip);
  return v;
}

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
  for (const auto& problem : s.vrrp.problems) h.findings.push_back(problem);
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
  const auto& instance = config.instance;
  s.vrrp = vrrp_from_state(common::load_state(instance.state_dir, instance.instance),
                           common::state_path(instance.state_dir, instance.instance), config.transitions);
  if (config.vipd_socket) {
    // vipd knows its VRRP state itself; the transitions are in the same
    // state file vip-notify writes.
    s.vrrp = vrrp_from_vipd_answer(common::control_request(*config.vipd_socket, {{"cmd", "status"}}, c.timeout),
                                   *config.vipd_socket, std::move(s.vrrp));
  }
  return s;
}

}  // namespace vipkit::vipctl
