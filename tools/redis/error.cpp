#include "redis/error.hpp"

#include <array>
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
    case ErrorCode::reply_error: return "error";
    case ErrorCode::protocol: return "protocol";
    case ErrorCode::io: return "io";
  }
  return "error";
}

Error error_from_reply(std::string_view text) {
  // Prefixes as Redis 4..7 send them. AUTH failures differ by version:
  // "WRONGPASS invalid username-password pair..." (6+), "ERR invalid password"
  // (<6), "ERR AUTH <password> called without any password configured..." and
  // "ERR Client sent AUTH, but no password is set" when requirepass is unset.
  static constexpr std::array<std::pair<std::string_view, ErrorCode>, 8> prefixes{{
      {"NOAUTH", ErrorCode::auth_failed},
      {"WRONGPASS", ErrorCode::auth_failed},
      {"ERR invalid password", ErrorCode::auth_failed},
      {"ERR AUTH", ErrorCode::auth_failed},
      {"ERR Client sent AUTH", ErrorCode::auth_failed},
      {"LOADING", ErrorCode::loading},
      {"BUSY", ErrorCode::busy},
      {"MASTERDOWN", ErrorCode::masterdown},
  }};
  for (const auto& [prefix, code] : prefixes) {
    if (text.starts_with(prefix)) return Error{code, std::string(text)};
  }
  return Error{ErrorCode::reply_error, std::string(text)};
}

}  // namespace vipkit::redis
