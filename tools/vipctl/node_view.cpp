#include "vipctl/node_view.hpp"

#include "ha/observe.hpp"

namespace vipkit::vipctl {

NodeView inspect(const ha::Target& target, redis::Deadline deadline) {
  NodeView view;
  view.endpoint = target.endpoint;
  auto connection = redis::Connection::open(target.endpoint, target.credentials, deadline);
  if (!connection) {
    view.state = ha::NodeState::unreachable(connection.error());
    return view;
  }
  view.state = ha::observe(connection.value(), deadline);
  if (!view.state.reachable) return view;
  auto replies = connection->pipeline({{"INFO", "server"}, {"ROLE"}}, deadline);
  if (!replies) {
    view.state = ha::NodeState::unreachable(replies.error());
    return view;
  }
  const auto& r = replies.value();
  if (r[0].type != redis::Reply::Type::error) {
    if (auto server = redis::parse_server_info(r[0].str)) view.server = server.value();
  }
  if (r[1].type != redis::Reply::Type::error) {
    if (auto role = redis::parse_role(r[1])) view.replicas = role->replicas;
  }
  return view;
}

std::string version_text(const NodeView& n) {
  return n.server ? redis::to_text(n.server->version) : "unknown";
}

std::optional<long long> lag_bytes(const ha::NodeState& replica, const ha::NodeState& master) {
  if (!replica.is_replica() || !master.is_master() || replica.replid != master.replid) return std::nullopt;
  return master.offset > replica.offset ? master.offset - replica.offset : 0;
}

bool lists_replica(const NodeView& master, const redis::Endpoint& replica) {
  for (const auto& r : master.replicas) {
    if (r.host == replica.host && r.port == replica.port) return true;
  }
  return false;
}

}  // namespace vipkit::vipctl
