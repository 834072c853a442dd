#include "redis/error.hpp"

#include <array>
#include <cerrno>
#include <utility>

namespace vipkit::redis {

std::string_view to_token(ErrorCode code) {
  switch (code) {
    case ErrorCode::unreachable: return "unreachable";
    case ErrorCode::timeout: return "timeout";
    case ErrorCode::auth_failed: return "auth-failed";
    case ErrorCode::loading: return "loading";
    case ErrorCode::busy: return "busy";
    case ErrorCode::masterdown: return "masterdown";
    case ErrorCode::unknown_command: return "unknown-command";
    case ErrorCode::reply_error: return "error";
    case ErrorCode::protocol: return "protocol";
    case ErrorCode::io: return "io";
    case ErrorCode::interrupted: return "interrupted";
  }
  return "error";
}

Error error_from_reply(std::string_view text) {
  // Prefixes as Redis 4..7 send them. AUTH failures differ by version:
  // "WRONGPASS invalid username-password pair..." (6+), "ERR invalid password"
  // (<6), "ERR AUTH <password> called without any password configured..." and
  // "ERR Client sent AUTH, but no password is set" when requirepass is unset.
  // A command an older server lacks: "ERR unknown command `X`, with args..."
  // (5, 6) or 'X' (7); a subcommand: "ERR Unknown subcommand or wrong number
  // of arguments for 'X'" (5, 6.0: also CLIENT PAUSE ms WRITE) or "ERR
  // unknown subcommand 'X'" (7). NOPERM (an ACL) is *not* one of them.
  static constexpr std::array<std::pair<std::string_view, ErrorCode>, 11> prefixes{{
      {"NOAUTH", ErrorCode::auth_failed},
      {"WRONGPASS", ErrorCode::auth_failed},
      {"ERR invalid password", ErrorCode::auth_failed},
      {"ERR AUTH", ErrorCode::auth_failed},
      {"ERR Client sent AUTH", ErrorCode::auth_failed},
      {"LOADING", ErrorCode::loading},
      {"BUSY", ErrorCode::busy},
      {"MASTERDOWN", ErrorCode::masterdown},
      {"ERR unknown command", ErrorCode::unknown_command},
      {"ERR unknown subcommand", ErrorCode::unknown_command},
      {"ERR Unknown subcommand", ErrorCode::unknown_command},
  }};
  for (const auto& [prefix, code] : prefixes) {
    if (text.starts_with(prefix)) return Error{code, std::string(text)};
  }
  return Error{ErrorCode::reply_error, std::string(text)};
}

std::optional<ErrorCode> error_code_of_errno(int err) {
  switch (err) {
    case EAGAIN:  // hiredis's blocking socket after SO_RCVTIMEO/SO_SNDTIMEO
    case ETIMEDOUT:
    case EINPROGRESS:  // hiredis's connect timed out while in progress
      return ErrorCode::timeout;
    case ECONNREFUSED:
    case ENOENT:  // a unix socket that is not there
    case EHOSTUNREACH:
    case ENETUNREACH:
    case EADDRNOTAVAIL:
    case ECONNRESET:
    case EPIPE:
      return ErrorCode::unreachable;
    default: return std::nullopt;
  }
}

}  // namespace vipkit::redis
