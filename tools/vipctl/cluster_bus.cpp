#include "vipctl/cluster_bus.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace vipkit::vipctl {

namespace {

bool votes(const redis::ClusterNode& n) { return n.is_master() && !n.slots.empty(); }

std::string name_of(const ClusterStatus& s, const std::string& id) {
  const auto it = std::find_if(s.members.begin(), s.members.end(),
                               [&](const ClusterMember& m) { return m.listed.id == id; });
  const std::string address = it == s.members.end() ? "?" : it->address;
  return fmt::format("{} ({})", address, id.substr(0, 8));
}

}  // namespace

std::vector<Finding> bus_link_findings(const ClusterStatus& s, const std::string& node_id) {
  std::vector<Finding> out;
  const std::string node = name_of(s, node_id);
  // The node's own links to the voters: its auth requests travel on them.
  for (const auto& m : s.members) {
    if (m.listed.id != node_id || !m.view) continue;
    for (const auto& peer : *m.view) {
      if (peer.id == node_id || !votes(peer) || peer.link_connected) continue;
      out.push_back({"bus-link-down", fmt::format("{} has no cluster-bus link to master {}", node,
                                                  name_of(s, peer.id))});
    }
  }
  // Each voter's link to the node: its auth ack travels on it.
  for (const auto& m : s.members) {
    if (m.listed.id == node_id || !votes(m.listed) || !m.view) continue;
    const auto seen = std::find_if(m.view->begin(), m.view->end(),
                                   [&](const redis::ClusterNode& n) { return n.id == node_id; });
    if (seen == m.view->end()) {
      out.push_back({"bus-link-down", fmt::format("master {} does not list {}", name_of(s, m.listed.id), node)});
    } else if (!seen->link_connected) {
      out.push_back({"bus-link-down", fmt::format("master {} has no cluster-bus link to {}",
                                                  name_of(s, m.listed.id), node)});
    }
  }
  return out;
}

}  // namespace vipkit::vipctl
