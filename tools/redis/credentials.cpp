#include "redis/credentials.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

namespace vipkit::redis {

Result<std::string> read_password_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return Error{ErrorCode::io, fmt::format("password file {}: {}", path, std::strerror(errno))};
  }
  // Like ssh with private keys: a secret others can read is refused, not used.
  if ((st.st_mode & 077) != 0) {
    return Error{ErrorCode::io, fmt::format("password file {} is readable by group/others (mode {:04o}); "
                                            "chmod 600 it",
                                            path, st.st_mode & 07777)};
  }
  std::ifstream in(path);
  if (!in) return Error{ErrorCode::io, fmt::format("password file {}: {}", path, std::strerror(errno))};
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
    line.pop_back();
  }
  if (line.empty()) return Error{ErrorCode::io, fmt::format("password file {} is empty", path)};
  return line;
}

Result<Credentials> load_credentials(const std::string& user, const std::string& password_file) {
  Credentials credentials{user, ""};
  if (!password_file.empty()) {
    auto password = read_password_file(password_file);
    if (!password) return password.error();
    credentials.password = std::move(password.value());
  } else if (const char* env = std::getenv("REDISCLI_AUTH"); env != nullptr) {
    credentials.password = env;
  }
  return credentials;
}

}  // namespace vipkit::redis
