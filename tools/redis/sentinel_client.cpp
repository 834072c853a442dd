#include "redis/sentinel_client.hpp"

namespace vipkit::redis {

Result<SentinelAnswer> ask_sentinel(Connection& sentinel, const std::string& master_name, Deadline deadline) {
  auto replies = sentinel.pipeline({{"SENTINEL", "get-master-addr-by-name", master_name},
                                    {"SENTINEL", "master", master_name}},
                                   deadline);
  if (!replies) return replies.error();
  const Reply& addr_reply = replies->at(0);
  const Reply& master_reply = replies->at(1);
  if (addr_reply.type == Reply::Type::error) return error_from_reply(addr_reply.str);
  auto master = parse_master_addr(addr_reply);
  if (!master) return master.error();
  SentinelAnswer answer;
  // An unknown name: nil to the first, "ERR No such master with that name"
  // to the second. Both say the same; the error reply carries no news.
  if (!master->has_value()) return answer;
  if (master_reply.type == Reply::Type::error) return error_from_reply(master_reply.str);
  auto state = parse_sentinel_master(master_reply);
  if (!state) return state.error();
  answer.master = std::move(master.value());
  answer.state = std::move(state.value());
  return answer;
}

Result<SentinelAnswer> ask_sentinel(const Endpoint& sentinel, const Credentials& credentials,
                                    const std::string& master_name, Deadline deadline) {
  auto connection = Connection::open(sentinel, credentials, deadline);
  if (!connection) return connection.error();
  return ask_sentinel(connection.value(), master_name, deadline);
}

}  // namespace vipkit::redis
