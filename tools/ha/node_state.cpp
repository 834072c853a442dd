#include "ha/node_state.hpp"

#include <fmt/format.h>

namespace vipkit::ha {

NodeState NodeState::unreachable(redis::Error why) {
  NodeState state;
  state.reachable = false;
  state.error = std::move(why);
  return state;
}

bool NodeState::replicates_from(const redis::Endpoint& master) const {
  return role == redis::Role::replica && !master.is_unix() && master_host == master.host &&
         master_port == master.port;
}

std::string NodeState::summary() const {
  if (!reachable) {
    return fmt::format("reachable=no error=\"{}\"", error ? error->message : std::string("unknown"));
  }
  std::string text = fmt::format("role={} replid={} offset={} dbsize={}", redis::to_token(role),
                                 replid, offset, dbsize);
  if (loading) text += " loading=yes";
  if (role == redis::Role::replica) {
    text += fmt::format(" master={}:{} link={}{}", master_host, master_port, link_up ? "up" : "down",
                        sync_in_progress ? " syncing=yes" : "");
  }
  return text;
}

}  // namespace vipkit::ha
