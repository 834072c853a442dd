#include "redis/connection.hpp"

#include <hiredis.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>

#include "redis/interruptible_connect.hpp"

namespace vipkit::redis {

namespace {

// Time left until the deadline, as the timeval hiredis wants; nullopt when it
// has passed (the call is not attempted at all).
std::optional<timeval> time_left(Deadline deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now());
  if (left.count() <= 0) return std::nullopt;
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(left.count() / 1000000);
  tv.tv_usec = static_cast<suseconds_t>(left.count() % 1000000);
  return tv;
}

Error deadline_passed(const std::string& what) {
  return Error{ErrorCode::timeout, what + ": deadline passed"};
}

// hiredis 0.14 reports every socket failure as REDIS_ERR_IO with errno's
// text; errno (saved right after the call) tells a timeout from a refusal.
Error error_from_context(const redisContext* c, int saved_errno, const std::string& where) {
  const std::string text = where + ": " + (c != nullptr && c->errstr[0] ? c->errstr : "unknown error");
  if (c != nullptr && c->err == REDIS_ERR_EOF) return Error{ErrorCode::io, text};
  if (const auto code = error_code_of_errno(saved_errno)) return Error{*code, text};
  if (c != nullptr && c->err == REDIS_ERR_PROTOCOL) return Error{ErrorCode::protocol, text};
  return Error{ErrorCode::io, text};
}

Reply copy_reply(const redisReply* r) {
  switch (r->type) {
    case REDIS_REPLY_STRING: return Reply::make_string(std::string(r->str, r->len));
    case REDIS_REPLY_STATUS: return Reply::make_status(std::string(r->str, r->len));
    case REDIS_REPLY_ERROR: return Reply::make_error(std::string(r->str, r->len));
    case REDIS_REPLY_INTEGER: return Reply::make_integer(r->integer);
    case REDIS_REPLY_ARRAY: {
      std::vector<Reply> elements;
      elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) elements.push_back(copy_reply(r->element[i]));
      return Reply::make_array(std::move(elements));
    }
    default: return Reply{};
  }
}

struct ReplyFree {
  void operator()(void* r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<void, ReplyFree>;

struct Argv {
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  explicit Argv(const std::vector<std::string>& args) {
    for (const auto& a : args) {
      ptrs.push_back(a.data());
      lens.push_back(a.size());
    }
  }
  int count() const { return static_cast<int>(ptrs.size()); }
};

std::string command_name(const std::vector<std::string>& argv) { return argv.empty() ? "" : argv[0]; }

}  // namespace

void Connection::Free::operator()(redisContext* c) const { redisFree(c); }

int Connection::fd() const { return ctx_ ? ctx_->fd : -1; }

Result<Connection> Connection::open(const Endpoint& endpoint, const Credentials& credentials,
                                    Deadline deadline, int interrupt_fd) {
  const std::string where = endpoint.to_string();
  const auto tv = time_left(deadline);
  if (!tv) return deadline_passed(where);
  redisContext* raw = nullptr;
  int saved_errno = 0;
  if (interrupt_fd >= 0 && is_numeric_host(endpoint)) {
    auto fd = connect_interruptible(endpoint, deadline, interrupt_fd);
    if (!fd) return fd.error();
    raw = redisConnectFd(fd.value());
    if (raw == nullptr) ::close(fd.value());
  } else {
    errno = 0;
    raw = endpoint.is_unix() ? redisConnectUnixWithTimeout(endpoint.socket.c_str(), *tv)
                             : redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, *tv);
    saved_errno = errno;
  }
  if (raw == nullptr) return Error{ErrorCode::io, where + ": cannot allocate a hiredis context"};
  std::unique_ptr<redisContext, Free> ctx(raw);
  if (ctx->err) return error_from_context(ctx.get(), saved_errno, where);

  Connection connection(std::move(ctx), endpoint);
  if (credentials.has_password()) {
    std::vector<std::string> auth = {"AUTH"};
    if (!credentials.user.empty()) auth.push_back(credentials.user);
    auth.push_back(credentials.password);
    auto reply = connection.command(auth, deadline);
    if (!reply) {
      Error e = reply.error();
      // Any error reply to AUTH is an authentication failure, whatever its prefix.
      if (e.code == ErrorCode::reply_error) e.code = ErrorCode::auth_failed;
      return e;
    }
  }
  return connection;
}

Result<Reply> Connection::command(const std::vector<std::string>& argv, Deadline deadline) {
  auto replies = pipeline({argv}, deadline);
  if (!replies) return replies.error();
  Reply& reply = replies.value().front();
  if (reply.type == Reply::Type::error) return error_from_reply(reply.str);
  return std::move(reply);
}

Status Connection::send_unanswered(const std::vector<std::string>& argv, Deadline deadline) {
  const std::string where = endpoint_.to_string() + " " + command_name(argv);
  if (!ctx_ || ctx_->err) return Error{ErrorCode::io, where + ": connection unusable after an earlier error"};
  const auto tv = time_left(deadline);
  if (!tv) return deadline_passed(where);
  redisSetTimeout(ctx_.get(), *tv);
  Argv a(argv);
  if (redisAppendCommandArgv(ctx_.get(), a.count(), a.ptrs.data(), a.lens.data()) != REDIS_OK) {
    return error_from_context(ctx_.get(), errno, where);
  }
  int done = 0;
  while (!done) {
    errno = 0;
    if (redisBufferWrite(ctx_.get(), &done) != REDIS_OK) return error_from_context(ctx_.get(), errno, where);
  }
  return Done{};
}

Result<Reply> Connection::next_reply(Deadline deadline) {
  const std::string where = endpoint_.to_string() + " stream";
  if (!ctx_ || ctx_->err) return Error{ErrorCode::io, where + ": connection unusable after an earlier error"};
  const auto tv = time_left(deadline);
  if (!tv) return deadline_passed(where);
  redisSetTimeout(ctx_.get(), *tv);
  void* raw = nullptr;
  errno = 0;
  if (redisGetReply(ctx_.get(), &raw) != REDIS_OK || raw == nullptr) return error_from_context(ctx_.get(), errno, where);
  ReplyPtr owned(raw);
  return copy_reply(static_cast<redisReply*>(raw));
}

Result<std::optional<Reply>> Connection::buffered_reply() {
  const std::string where = endpoint_.to_string() + " stream";
  if (!ctx_ || ctx_->err) return Error{ErrorCode::io, where + ": connection unusable after an earlier error"};
  void* raw = nullptr;
  if (redisGetReplyFromReader(ctx_.get(), &raw) != REDIS_OK) return error_from_context(ctx_.get(), errno, where);
  if (raw == nullptr) return std::optional<Reply>{};
  ReplyPtr owned(raw);
  return std::optional<Reply>{copy_reply(static_cast<redisReply*>(raw))};
}

Result<std::vector<Reply>> Connection::pipeline(const std::vector<std::vector<std::string>>& commands,
                                                Deadline deadline) {
  const std::string where = endpoint_.to_string() + " " + (commands.empty() ? "" : command_name(commands[0]));
  if (!ctx_ || ctx_->err) {
    return Error{ErrorCode::io, where + ": connection unusable after an earlier error" +
                                    (ctx_ ? std::string(" (") + ctx_->errstr + ")" : "")};
  }
  const auto tv = time_left(deadline);
  if (!tv) return deadline_passed(where);
  redisSetTimeout(ctx_.get(), *tv);

  for (const auto& argv : commands) {
    Argv a(argv);
    if (redisAppendCommandArgv(ctx_.get(), a.count(), a.ptrs.data(), a.lens.data()) != REDIS_OK) {
      return error_from_context(ctx_.get(), errno, where);
    }
  }
  std::vector<Reply> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    errno = 0;
    if (redisGetReply(ctx_.get(), &raw) != REDIS_OK || raw == nullptr) {
      return error_from_context(ctx_.get(), errno, where);
    }
    ReplyPtr owned(raw);
    replies.push_back(copy_reply(static_cast<redisReply*>(raw)));
  }
  return replies;
}

}  // namespace vipkit::redis
