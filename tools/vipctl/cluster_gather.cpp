#include "vipctl/cluster_gather.hpp"

#include <fmt/format.h>

#include "redis/connection.hpp"

namespace vipkit::vipctl {

namespace {

using redis::Clock;
using redis::Reply;

// Redis Cluster is designed for up to 1000 nodes; a reply listing more is
// not one vipctl should open a connection per line of.
constexpr std::size_t max_nodes = 1000;

// The text of a bulk reply, or why there is none.
redis::Result<std::string> text_of(const Reply& r, const char* command) {
  if (r.type == Reply::Type::error) return redis::error_from_reply(r.str);
  if (r.type != Reply::Type::string && r.type != Reply::Type::status) {
    return redis::Error{redis::ErrorCode::protocol, fmt::format("{}: not a text reply", command)};
  }
  return r.str;
}

const std::vector<std::vector<std::string>> member_commands = {
    {"CLUSTER", "NODES"}, {"INFO", "server"}, {"INFO", "replication"}, {"INFO", "persistence"}};

// What one node says of itself and of the cluster; `replies` answer
// member_commands, in order.
void read_member(ClusterMember& m, const std::vector<Reply>& replies) {
  auto failed = [&](const redis::Error& e) { m.reply_errors.push_back(e.message); };
  if (auto nodes = text_of(replies[0], "CLUSTER NODES")) {
    auto parsed = redis::parse_cluster_nodes(nodes.value());
    if (parsed) {
      m.view = std::move(parsed.value());
    } else {
      failed(parsed.error());
    }
  } else {
    failed(nodes.error());
  }
  if (auto server = text_of(replies[1], "INFO server")) {
    auto version = redis::parse_version(server.value());
    if (version) {
      m.version = version.value();
    } else {
      failed(version.error());
    }
  } else {
    failed(server.error());
  }
  auto replication = text_of(replies[2], "INFO replication");
  auto persistence = text_of(replies[3], "INFO persistence");
  if (!replication) return failed(replication.error());
  if (!persistence) return failed(persistence.error());
  if (auto info = redis::parse_replication_info(replication.value(), persistence.value())) {
    m.replication = info.value();
  } else {
    failed(info.error());
  }
}

void ask_member(ClusterMember& m, const ClusterGatherConfig& config) {
  if (m.listed.host.empty() || m.listed.port == 0) {
    m.unreachable = redis::Error{redis::ErrorCode::unreachable, "no address known (noaddr)"};
    return;
  }
  const redis::Deadline deadline = Clock::now() + config.timeout;
  auto connection = redis::Connection::open({m.listed.host, m.listed.port, ""}, config.credentials, deadline);
  if (!connection) {
    m.unreachable = connection.error();
    return;
  }
  auto replies = connection->pipeline(member_commands, deadline);
  if (!replies) {
    m.unreachable = replies.error();
    return;
  }
  if (replies->size() != member_commands.size()) {
    m.reply_errors.push_back("fewer replies than commands");
    return;
  }
  read_member(m, replies.value());
}

}  // namespace

ClusterStatus gather_cluster(const ClusterGatherConfig& config) {
  ClusterStatus s;
  s.seed = config.seed.to_string();
  const redis::Deadline deadline = Clock::now() + config.timeout;
  auto connection = redis::Connection::open(config.seed, config.credentials, deadline);
  if (!connection) {
    s.seed_error = connection.error();
    return s;
  }
  auto commands = member_commands;
  commands.push_back({"CLUSTER", "INFO"});
  auto replies = connection->pipeline(commands, deadline);
  if (!replies) {
    s.seed_error = replies.error();
    return s;
  }
  const std::vector<Reply>& r = replies.value();
  if (r.size() != commands.size()) {
    s.seed_error = redis::Error{redis::ErrorCode::protocol, "fewer replies than commands"};
    return s;
  }
  // Without the seed's CLUSTER NODES there is no list of nodes to ask.
  auto nodes_text = text_of(r[0], "CLUSTER NODES");
  if (!nodes_text) {
    s.seed_error = nodes_text.error();
    return s;
  }
  auto nodes = redis::parse_cluster_nodes(nodes_text.value());
  if (!nodes) {
    s.seed_error = nodes.error();
    return s;
  }
  if (nodes->size() > max_nodes) {
    s.seed_error = redis::Error{redis::ErrorCode::protocol,
                                fmt::format("CLUSTER NODES lists {} nodes, more than vipctl asks ({})", nodes->size(),
                                            max_nodes)};
    return s;
  }
  ClusterMember seed_member;
  read_member(seed_member, r);
  if (auto info_text = text_of(r[4], "CLUSTER INFO")) {
    auto info = redis::parse_cluster_info(info_text.value());
    if (info) {
      s.info = info.value();
    } else {
      seed_member.reply_errors.push_back(info.error().message);
    }
  } else {
    seed_member.reply_errors.push_back(info_text.error().message);
  }
  for (auto& node : nodes.value()) {
    ClusterMember m;
    if (node.is_myself()) {
      // The seed answered already, at the address the operator gave (its
      // own line may name an address only the cluster bus uses).
      m = seed_member;
      m.address = s.seed;
    } else {
      m.address = node.address();
      m.listed = node;
      ask_member(m, config);
    }
    m.listed = std::move(node);
    s.members.push_back(std::move(m));
  }
  return s;
}

redis::Result<std::string> node_id_at(const redis::Endpoint& node, const redis::Credentials& credentials,
                                      std::chrono::milliseconds timeout) {
  const redis::Deadline deadline = Clock::now() + timeout;
  auto connection = redis::Connection::open(node, credentials, deadline);
  if (!connection) return connection.error();
  auto reply = connection->command({"CLUSTER", "MYID"}, deadline);
  if (!reply) return reply.error();
  return text_of(reply.value(), "CLUSTER MYID");
}

}  // namespace vipkit::vipctl
