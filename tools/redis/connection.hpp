#pragma once
// RAII hiredis connection. Every network call is bounded: the connection is
// opened against a deadline and each command gets the time left until that
// deadline (capped by the command timeout), so a caller that must answer
// within N ms (vip-check inside keepalived's script timeout) never overruns.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "redis/credentials.hpp"
#include "redis/endpoint.hpp"
#include "redis/reply.hpp"
#include "redis/result.hpp"

struct redisContext;

namespace vipkit::redis {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

class Connection {
 public:
  // Connect, then AUTH (with user when given). A server error reply to AUTH
  // maps to ErrorCode::auth_failed with Redis's text.
  // With `interrupt_fd` (>= 0) and a numeric TCP address, the connect
  // gives up with ErrorCode::interrupted as soon as that fd is readable
  // (redis/interruptible_connect.hpp says who needs it).
  static Result<Connection> open(const Endpoint& endpoint, const Credentials& credentials,
                                 Deadline deadline, int interrupt_fd = -1);

  // One command; an error *reply* (-ERR...) is returned as an Error classified
  // by error_from_reply. The command may not run past `deadline`.
  Result<Reply> command(const std::vector<std::string>& argv, Deadline deadline);

  // Several commands in one round trip; each reply kept (error replies stay
  // Reply::Type::error inside the vector). Fails as a whole on I/O errors.
  Result<std::vector<Reply>> pipeline(const std::vector<std::vector<std::string>>& commands,
                                      Deadline deadline);

  // Send a command the server does not answer (REPLCONF GETACK) and do not
  // wait for any reply. Use a connection for nothing else afterwards: an
  // error reply (-NOPERM) would be left unread in it.
  Status send_unanswered(const std::vector<std::string>& argv, Deadline deadline);

  // Read one more reply without sending anything: the replication stream
  // that follows a PSYNC +CONTINUE. Fails with ErrorCode::timeout when
  // nothing complete arrives before `deadline`.
  Result<Reply> next_reply(Deadline deadline);

  // A reply already read off the socket and waiting in hiredis's buffer,
  // without touching the socket: after next_reply, a caller that polls
  // fd() for the next one must drain these first (two pub/sub messages in
  // one segment leave the second here, and the socket never turns readable
  // for it). nullopt: nothing complete is buffered.
  Result<std::optional<Reply>> buffered_reply();

  const Endpoint& endpoint() const { return endpoint_; }
  // The socket fd (to watch for the server closing the connection).
  int fd() const;

 private:
  struct Free { void operator()(redisContext* c) const; };
  Connection(std::unique_ptr<redisContext, Free> ctx, Endpoint endpoint)
      : ctx_(std::move(ctx)), endpoint_(std::move(endpoint)) {}

  std::unique_ptr<redisContext, Free> ctx_;
  Endpoint endpoint_;
};

}  // namespace vipkit::redis
