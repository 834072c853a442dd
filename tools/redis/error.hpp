#pragma once
// Error of a Redis operation: a stable code for decisions and exit reasons,
// and the original text (Redis's own "-NOAUTH ..." message, or errno text).
#include <optional>
#include <string>
#include <string_view>

namespace vipkit::redis {

enum class ErrorCode {
  unreachable,  // connect refused / no route / socket missing
  timeout,      // connect or command deadline passed
  auth_failed,  // NOAUTH, WRONGPASS, "invalid password", "ERR AUTH <password> called without any password configured"
  loading,      // LOADING Redis is loading the dataset in memory
  busy,         // BUSY a script / function is running
  masterdown,   // MASTERDOWN link with MASTER is down and replica-serve-stale-data is set to 'no'
  unknown_command,  // the server does not know the command or subcommand (an older Redis)
  reply_error,  // any other -ERR reply
  protocol,     // reply of an unexpected shape, or unparsable text
  io,           // connection lost mid-command, or other local failure
  interrupted,  // a connect cut short by the caller (a newer request): says nothing of the server
};

struct Error {
  ErrorCode code;
  std::string message;  // Redis's own text, or the system's
};

// Stable token for logs and vip-check output ("auth-failed", "timeout", ...).
std::string_view to_token(ErrorCode code);

// Classify an error reply by its prefix, keeping the text unchanged.
Error error_from_reply(std::string_view reply_text);

// What a socket call's errno says of the server: a timeout or a server not
// there. nullopt for every other errno, which the caller classifies by what
// else it knows (hiredis's error kind, or a local failure). One table for
// hiredis's connect and vipd's interruptible one, so that the same errno
// means the same thing on both paths.
std::optional<ErrorCode> error_code_of_errno(int err);

}  // namespace vipkit::redis
