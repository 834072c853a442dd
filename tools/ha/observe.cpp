#include "ha/observe.hpp"

#include "redis/keyspace.hpp"
#include "redis/replica_hold.hpp"

namespace vipkit::ha {

namespace {

redis::Error reply_error(const redis::Reply& reply) { return redis::error_from_reply(reply.str); }

std::string text_of(const redis::Reply& reply) {
  return reply.type == redis::Reply::Type::string || reply.type == redis::Reply::Type::status
             ? reply.str
             : std::string();
}

// The value of a CONFIG GET reply ([name, value]); empty on an error.
std::string config_value(const redis::Reply& reply) {
  return reply.type == redis::Reply::Type::array && reply.elements.size() == 2 ? reply.elements[1].str
                                                                              : std::string();
}

}  // namespace

NodeState observe(redis::Connection& connection, redis::Deadline deadline) {
  // One round trip; INFO answers even while the dataset is loading. Keys are
  // counted over every database (DBSIZE would count only db 0). GET/PTTL of
  // the switchover marker answer -LOADING while loading, or -NOPERM for an
  // ACL user without ~vipkit:*: either way there is no marker to honour.
  // CONFIG GET of masteruser/masterauth says whether the replica hold is
  // set; a user without CONFIG gets -NOPERM: not held, as far as we know.
  const std::string marker_key(switchover_key);
  auto replies = connection.pipeline({{"INFO", "replication"},
                                      {"INFO", "persistence"},
                                      {"INFO", "keyspace"},
                                      {"GET", marker_key},
                                      {"PTTL", marker_key},
                                      {"CONFIG", "GET", "masteruser"},
                                      {"CONFIG", "GET", "masterauth"}},
                                     deadline);
  if (!replies) return NodeState::unreachable(replies.error());
  const auto& r = replies.value();
  if (r.size() != 7) return NodeState::unreachable({redis::ErrorCode::protocol, "short pipeline reply"});
  if (r[0].type == redis::Reply::Type::error) return NodeState::unreachable(reply_error(r[0]));

  auto info = redis::parse_replication_info(text_of(r[0]), text_of(r[1]));
  if (!info) return NodeState::unreachable(info.error());

  NodeState state;
  state.reachable = true;
  state.loading = info->loading;
  state.role = info->role;
  state.replid = info->master_replid;
  state.replid2 = info->master_replid2;
  state.offset = info->master_repl_offset;
  state.second_offset = info->second_repl_offset;
  state.master_host = info->master_host;
  state.master_port = info->master_port;
  state.link_up = info->master_link_up;
  state.sync_in_progress = info->master_sync_in_progress;
  state.link_down_since_s = info->master_link_up ? -1 : info->master_link_down_since_seconds;
  state.failover_state = info->failover_state;
  // While loading, the key count is partial: leave it unknown.
  if (!state.loading && r[2].type != redis::Reply::Type::error) {
    auto keys = redis::parse_keyspace_keys(text_of(r[2]));
    if (keys) state.dbsize = keys.value();
  }
  if (r[3].type == redis::Reply::Type::string && r[4].type == redis::Reply::Type::integer) {
    state.switchover = parse_marker(r[3].str, r[4].integer);
  }
  state.held = redis::is_held(redis::hold_config_from(config_value(r[5]), config_value(r[6])));
  return state;
}

NodeState observe(const redis::Endpoint& endpoint, const redis::Credentials& credentials,
                  redis::Deadline deadline) {
  auto connection = redis::Connection::open(endpoint, credentials, deadline);
  if (!connection) return NodeState::unreachable(connection.error());
  return observe(connection.value(), deadline);
}

}  // namespace vipkit::ha
