#include "vipctl/cluster_render.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace vipkit::vipctl {

namespace {

template <class T>
nlohmann::json optional_json(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

std::string yes_no(bool b) { return b ? "yes" : "no"; }

// The per-node values both outputs show; empty / nullopt when unknown.
struct Row {
  std::string version;
  std::optional<long long> offset;
  std::optional<long long> lag;
  std::optional<bool> loading;
  std::string master_link;  // replicas: up | down
  std::optional<bool> sync;  // replicas: master_sync_in_progress
  std::string failover;
};

Row row_of(const ClusterStatus& s, const ClusterMember& m) {
  Row row;
  if (m.version) row.version = redis::to_text(*m.version);
  row.offset = replication_offset(m);
  row.lag = replica_lag(s, m);
  if (m.replication) {
    const auto& r = *m.replication;
    row.loading = r.loading;
    if (r.role == redis::Role::replica) {
      row.master_link = r.master_link_up ? "up" : "down";
      row.sync = r.master_sync_in_progress;
    }
    row.failover = r.failover_state;
  }
  return row;
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

// Joined before it is padded: fmt would pad each flag of a fmt::join.
std::string flags_text(const redis::ClusterNode& n) { return fmt::format("{}", fmt::join(n.flags, ",")); }
template <class T>
std::string or_dash(const std::optional<T>& v) {
  if (!v) return "-";
  if constexpr (std::is_same_v<T, bool>) {
    return yes_no(*v);
  } else {
    return std::to_string(*v);
  }
}

}  // namespace

std::string cluster_table(const ClusterStatus& s, const ClusterHealth& h) {
  if (s.seed_error && !h.findings.empty()) {
    // Nothing but the reason is known: one line.
    const Finding& f = h.findings.front();
    return fmt::format("cluster via {}: NOT healthy: {}: {}\n", s.seed, f.reason, f.detail);
  }
  std::string out = fmt::format("cluster via {}: {} (cluster_state:{}, {} nodes)\n", s.seed,
                                h.healthy ? "healthy" : "NOT healthy", s.info ? s.info->state : "unknown",
                                s.members.size());
  for (const auto& f : h.findings) out += fmt::format("  ! {}: {}\n", f.reason, f.detail);
  out += '\n';
  constexpr auto line = "  {:<8} {:<21} {:<7} {:<8} {:<18} {:<12} {:<11} {:<8} {:>9} {:>6} {:<7} {:<4} {:<4} {}\n";
  out += fmt::format(line, "id", "address", "role", "master", "flags", "link", "slots", "version", "offset", "lag",
                     "loading", "link", "sync", "failover");
  for (const auto& m : s.members) {
    const Row row = row_of(s, m);
    const redis::ClusterNode& n = m.listed;
    out += fmt::format(line, n.id.substr(0, 8), m.address, role_of(n), or_dash(n.master_id.substr(0, 8)),
                       flags_text(n), n.link_connected ? "connected" : "disconnected",
                       or_dash(redis::slots_text(n.slots)), m.unreachable ? "down" : or_dash(row.version),
                       or_dash(row.offset), or_dash(row.lag), or_dash(row.loading), or_dash(row.master_link),
                       or_dash(row.sync), or_dash(row.failover));
  }
  return out;
}

nlohmann::json cluster_json(const ClusterStatus& s, const ClusterHealth& h) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : h.findings) findings.push_back({{"reason", f.reason}, {"detail", f.detail}});
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& m : s.members) {
    const redis::ClusterNode& n = m.listed;
    const Row row = row_of(s, m);
    nlohmann::json slots = nlohmann::json::array();
    for (const auto& r : n.slots) slots.push_back(redis::slots_text({r}));
    nlohmann::json moves = nlohmann::json::array();
    for (const auto& mv : n.moves) {
      moves.push_back({{"slot", mv.slot}, {"direction", mv.importing ? "importing" : "migrating"}, {"node", mv.node}});
    }
    nlohmann::json j = {{"id", n.id},
                        {"address", m.address},
                        {"role", role_of(n)},
                        {"master_id", n.master_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(n.master_id)},
                        {"flags", n.flags},
                        {"link_state", n.link_connected ? "connected" : "disconnected"},
                        {"slots", slots},
                        {"slot_count", n.slot_count()},
                        {"slot_moves", moves},
                        {"reachable", !m.unreachable},
                        {"version", row.version.empty() ? nlohmann::json(nullptr) : nlohmann::json(row.version)},
                        {"replication_offset", optional_json(row.offset)},
                        {"lag_bytes", optional_json(row.lag)},
                        {"loading", optional_json(row.loading)},
                        {"master_link_status", row.master_link.empty() ? nlohmann::json(nullptr) : nlohmann::json(row.master_link)},
                        {"master_sync_in_progress", optional_json(row.sync)},
                        {"failover_state", row.failover.empty() ? nlohmann::json(nullptr) : nlohmann::json(row.failover)}};
    if (m.unreachable) j["error"] = m.unreachable->message;
    if (!m.reply_errors.empty()) j["reply_errors"] = m.reply_errors;
    nodes.push_back(std::move(j));
  }
  nlohmann::json info = nullptr;
  if (s.info) {
    info = {{"cluster_state", s.info->state}, {"slots_assigned", s.info->slots_assigned},
            {"slots_ok", s.info->slots_ok},   {"known_nodes", s.info->known_nodes},
            {"size", s.info->size},           {"current_epoch", s.info->current_epoch}};
  }
  return {{"seed", s.seed}, {"healthy", h.healthy}, {"cluster_info", info}, {"findings", findings}, {"nodes", nodes}};
}

}  // namespace vipkit::vipctl
