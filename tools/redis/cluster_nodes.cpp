#include "redis/cluster_nodes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

#include "redis/number.hpp"
#include "redis/replies.hpp"

namespace vipkit::redis {

namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find(separator, start), text.size());
    if (end > start) parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// CLUSTER_NAMELEN is 40: the id is 160 random bits in hex.
bool is_node_id(std::string_view text) {
  return text.size() == 40 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::optional<int> slot_number(std::string_view text) {
  const auto n = to_number<int>(text);
  if (!n || *n < 0 || *n >= cluster_slots) return std::nullopt;
  return n;
}

// The caller adds which line; `why` says what is wrong with it.
using LineError = std::string;

std::optional<LineError> parse_address(std::string_view text, ClusterNode& node) {
  std::string_view endpoint = text;
  const auto at = text.find('@');
  if (at != std::string_view::npos) {
    endpoint = text.substr(0, at);
    std::string_view bus = text.substr(at + 1);
    // Redis >= 7: "ip:port@cport,hostname" (cluster-announce-hostname).
    if (const auto comma = bus.find(','); comma != std::string_view::npos) {
      node.hostname = std::string(bus.substr(comma + 1));
      bus = bus.substr(0, comma);
    }
    const auto bus_port = to_number<int>(bus);
    if (!bus_port || *bus_port < 0 || *bus_port > 65535) return fmt::format("bad cluster bus port in {}", text);
    node.bus_port = *bus_port;
  }
  // rfind: the host may be an IPv6 address, full of colons.
  const auto colon = endpoint.rfind(':');
  if (colon == std::string_view::npos) return fmt::format("address {} is not ip:port@cport", text);
  const auto port = to_number<int>(endpoint.substr(colon + 1));
  // Port 0 with no host: a node whose address is not known yet (noaddr).
  if (!port || *port < 0 || *port > 65535) return fmt::format("bad port in address {}", text);
  node.host = std::string(endpoint.substr(0, colon));
  node.port = *port;
  return std::nullopt;
}

std::optional<LineError> parse_slot(std::string_view text, ClusterNode& node) {
  if (text.front() == '[') {
    // "[slot->-id]" migrating, "[slot-<-id]" importing (clusterGenNodeDescription).
    if (text.size() < 2 || text.back() != ']') return fmt::format("bad slot move {}", text);
    const std::string_view inner = text.substr(1, text.size() - 2);
    struct Arrow {
      std::string_view text;
      bool importing;
    };
    for (const Arrow& arrow : {Arrow{"->-", false}, Arrow{"-<-", true}}) {
      const auto pos = inner.find(arrow.text);
      if (pos == std::string_view::npos) continue;
      const auto slot = slot_number(inner.substr(0, pos));
      const std::string_view peer = inner.substr(pos + arrow.text.size());
      if (!slot || !is_node_id(peer)) return fmt::format("bad slot move {}", text);
      node.moves.push_back({*slot, arrow.importing, std::string(peer)});
      return std::nullopt;
    }
    return fmt::format("bad slot move {}", text);
  }
  const auto dash = text.find('-');
  const auto first = slot_number(text.substr(0, dash));
  const auto last = dash == std::string_view::npos ? first : slot_number(text.substr(dash + 1));
  if (!first || !last || *last < *first) return fmt::format("bad slot range {}", text);
  node.slots.push_back({*first, *last});
  return std::nullopt;
}

std::optional<LineError> parse_line(std::string_view line, ClusterNode& node) {
  const auto fields = split(line, ' ');
  if (fields.size() < 8) return fmt::format("{} fields, expected at least 8", fields.size());
  if (!is_node_id(fields[0])) return fmt::format("node id {} is not 40 hex characters", fields[0]);
  node.id = std::string(fields[0]);
  if (auto e = parse_address(fields[1], node)) return e;
  for (const auto flag : split(fields[2], ',')) node.flags.emplace_back(flag);
  if (node.flags.empty()) return "no flags";
  if (fields[3] != "-") {
    if (!is_node_id(fields[3])) return fmt::format("master id {} is neither - nor a node id", fields[3]);
    node.master_id = std::string(fields[3]);
  }
  for (std::size_t i : {4u, 5u}) {
    const auto ms = to_number<long long>(fields[i]);
    if (!ms || *ms < 0) return fmt::format("ping/pong time {} is not a number", fields[i]);
  }
  const auto epoch = to_number<long long>(fields[6]);
  if (!epoch || *epoch < 0) return fmt::format("config epoch {} is not a number", fields[6]);
  node.config_epoch = *epoch;
  if (fields[7] != "connected" && fields[7] != "disconnected") {
    return fmt::format("link state {} is neither connected nor disconnected", fields[7]);
  }
  node.link_connected = fields[7] == "connected";
  for (std::size_t i = 8; i < fields.size(); ++i) {
    if (auto e = parse_slot(fields[i], node)) return e;
  }
  return std::nullopt;
}

// Hostile text must not flood an error line.
std::string shown(std::string_view line) {
  constexpr std::size_t max = 80;
  return line.size() > max ? std::string(line.substr(0, max)) + "..." : std::string(line);
}

}  // namespace

bool ClusterNode::has_flag(std::string_view flag) const {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

std::string ClusterNode::address() const { return fmt::format("{}:{}", host, port); }

int ClusterNode::slot_count() const {
  int n = 0;
  for (const auto& r : slots) n += r.last - r.first + 1;
  return n;
}

Result<std::vector<ClusterNode>> parse_cluster_nodes(std::string_view text) {
  std::vector<ClusterNode> nodes;
  std::set<std::string, std::less<>> ids;
  int number = 0;
  bool seen_myself = false;
  for (std::string_view line : split(text, '\n')) {
    ++number;
    if (line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    ClusterNode node;
    auto error = parse_line(line, node);
    if (!error && !ids.insert(node.id).second) error = "node id listed twice";
    if (!error && node.is_myself() && std::exchange(seen_myself, true)) error = "a second myself";
    if (error) {
      return Error{ErrorCode::protocol, fmt::format("CLUSTER NODES line {}: {}: {}", number, shown(*error), shown(line))};
    }
    nodes.push_back(std::move(node));
  }
  if (nodes.empty()) return Error{ErrorCode::protocol, "CLUSTER NODES lists no node"};
  return nodes;
}

std::string slots_text(const std::vector<SlotRange>& ranges) {
  std::string out;
  for (const auto& r : ranges) {
    if (!out.empty()) out += ' ';
    out += r.first == r.last ? std::to_string(r.first) : fmt::format("{}-{}", r.first, r.last);
  }
  return out;
}

Result<ClusterInfo> parse_cluster_info(std::string_view text) {
  const auto fields = parse_info_fields(text);
  ClusterInfo info;
  const auto state = fields.find("cluster_state");
  if (state == fields.end()) return Error{ErrorCode::protocol, "CLUSTER INFO has no cluster_state field"};
  info.state = state->second;
  const std::pair<const char*, int*> counts[] = {
      {"cluster_slots_assigned", &info.slots_assigned}, {"cluster_slots_ok", &info.slots_ok},
      {"cluster_slots_pfail", &info.slots_pfail},       {"cluster_slots_fail", &info.slots_fail},
      {"cluster_known_nodes", &info.known_nodes},       {"cluster_size", &info.size}};
  for (const auto& [key, out] : counts) {
    const auto it = fields.find(key);
    if (it == fields.end()) continue;
    const auto n = to_number<int>(it->second);
    if (!n || *n < 0) return Error{ErrorCode::protocol, fmt::format("CLUSTER INFO {} is not a count: {}", key, shown(it->second))};
    *out = *n;
  }
  if (const auto it = fields.find("cluster_current_epoch"); it != fields.end()) {
    const auto n = to_number<long long>(it->second);
    if (!n) return Error{ErrorCode::protocol, fmt::format("CLUSTER INFO cluster_current_epoch is not a number: {}", shown(it->second))};
    info.current_epoch = *n;
  }
  return info;
}

}  // namespace vipkit::redis
