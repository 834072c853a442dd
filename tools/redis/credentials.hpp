#pragma once
// How we authenticate: an optional ACL user and a password that never comes
// from the command line — from a file only its owner can read, or from the
// REDISCLI_AUTH environment variable (as redis-cli does).
#include <string>

#include "redis/result.hpp"

namespace vipkit::redis {

struct Credentials {
  std::string user;      // empty: the "default" user / requirepass
  std::string password;  // empty: no AUTH

  bool has_password() const { return !password.empty(); }
};

// Read the first line of `path` (trailing CR/LF and whitespace trimmed).
// Refuses (Error::protocol is not used; ErrorCode::io) a file that is group- or
// other-readable, naming the mode: "password file /x is readable by group/others
// (mode 0644); chmod 600 it". Empty file is an error too.
Result<std::string> read_password_file(const std::string& path);

// Resolve credentials: password_file if non-empty, else REDISCLI_AUTH if set,
// else no password.
Result<Credentials> load_credentials(const std::string& user, const std::string& password_file);

}  // namespace vipkit::redis
