#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "redis/credentials.hpp"
#include "redis/endpoint.hpp"
#include "redis/error.hpp"

using namespace vipkit;
using redis::ErrorCode;

TEST_CASE("error replies keep Redis's text and get a code", "[redis][error]") {
  const std::pair<const char*, ErrorCode> rows[] = {
      {"NOAUTH Authentication required.", ErrorCode::auth_failed},
      {"WRONGPASS invalid username-password pair or user is disabled.", ErrorCode::auth_failed},
      {"ERR invalid password", ErrorCode::auth_failed},
      {"ERR AUTH <password> called without any password configured for the default user. Are you sure "
       "your configuration is correct?",
       ErrorCode::auth_failed},
      {"LOADING Redis is loading the dataset in memory", ErrorCode::loading},
      {"BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.",
       ErrorCode::busy},
      {"MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
       ErrorCode::masterdown},
      {"READONLY You can't write against a read only replica.", ErrorCode::reply_error},
      // Older servers: the only errors that allow a fallback (REPLICAOF ->
      // SLAVEOF, CLIENT PAUSE ms WRITE -> CLIENT PAUSE ms, no CLIENT UNPAUSE).
      {"ERR unknown command `REPLICAOF`, with args beginning with: `NO`, `ONE`, ", ErrorCode::unknown_command},
      {"ERR unknown command 'FAILOVER', with args beginning with: 'ABORT' ", ErrorCode::unknown_command},
      {"ERR Unknown subcommand or wrong number of arguments for 'UNPAUSE'. Try CLIENT HELP",
       ErrorCode::unknown_command},
      {"ERR unknown subcommand 'UNPAUSE'. Try CLIENT HELP.", ErrorCode::unknown_command},
      // ...and errors that must not pass for "old Redis": an ACL, a typo.
      {"NOPERM this user has no permissions to run the 'client|unpause' command", ErrorCode::reply_error},
      {"ERR syntax error", ErrorCode::reply_error},
  };
  for (const auto& [text, code] : rows) {
    const auto e = redis::error_from_reply(text);
    CHECK(e.code == code);
    CHECK(e.message == text);
  }
  CHECK(redis::to_token(ErrorCode::auth_failed) == "auth-failed");
  CHECK(redis::to_token(ErrorCode::timeout) == "timeout");
  CHECK(redis::to_token(ErrorCode::unknown_command) == "unknown-command");
}

TEST_CASE("a socket errno: timeout, server not there, or left to the caller", "[redis][error]") {
  CHECK(redis::error_code_of_errno(ETIMEDOUT) == ErrorCode::timeout);
  CHECK(redis::error_code_of_errno(EAGAIN) == ErrorCode::timeout);
  CHECK(redis::error_code_of_errno(EINPROGRESS) == ErrorCode::timeout);
  CHECK(redis::error_code_of_errno(ECONNREFUSED) == ErrorCode::unreachable);
  CHECK(redis::error_code_of_errno(EHOSTUNREACH) == ErrorCode::unreachable);
  CHECK(redis::error_code_of_errno(ENOENT) == ErrorCode::unreachable);
  CHECK(redis::error_code_of_errno(ECONNRESET) == ErrorCode::unreachable);
  // A local failure says nothing of the server: the caller decides (io).
  CHECK_FALSE(redis::error_code_of_errno(EMFILE).has_value());
  CHECK_FALSE(redis::error_code_of_errno(0).has_value());
}

TEST_CASE("HOST:PORT parsing", "[redis][endpoint]") {
  CHECK(redis::parse_host_port("192.0.2.12:16465")->to_string() == "192.0.2.12:16465");
  CHECK(redis::parse_host_port("redis-b.example:6379")->host == "redis-b.example");
  CHECK(redis::parse_host_port("[2001:db8::1]:6379")->to_string() == "[2001:db8::1]:6379");
  for (const char* bad : {"192.0.2.12", "192.0.2.12:", ":6379", "h:0", "h:65536", "h:63x9", "2001:db8::1:6379",
                          "[2001:db8::1]6379", ""}) {
    CHECK_FALSE(redis::parse_host_port(bad).has_value());
  }
  CHECK(redis::Endpoint{"", 0, "/run/redis.sock"}.to_string() == "unix:/run/redis.sock");
}

namespace {
struct TempFile {
  std::filesystem::path path;
  TempFile(const std::string& text, mode_t mode) {
    char tmpl[] = "/tmp/vipkit-pass-XXXXXX";
    const int fd = mkstemp(tmpl);
    close(fd);
    path = tmpl;
    std::ofstream(path) << text;
    chmod(path.c_str(), mode);
  }
  ~TempFile() { std::filesystem::remove(path); }
};
}  // namespace

TEST_CASE("password file: first line, owner-only", "[redis][credentials]") {
  TempFile good("s3cret \r\nignored\n", 0600);
  CHECK(redis::read_password_file(good.path).value() == "s3cret");

  TempFile shared("s3cret\n", 0644);
  auto refused = redis::read_password_file(shared.path);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message ==
        "password file " + shared.path.string() + " is readable by group/others (mode 0644); chmod 600 it");

  TempFile empty("\n", 0600);
  CHECK_THAT(redis::read_password_file(empty.path).error().message, Catch::EndsWith("is empty"));
  CHECK_THAT(redis::read_password_file("/nonexistent/pass").error().message,
             Catch::Contains("No such file or directory"));
}

TEST_CASE("credentials: file first, then REDISCLI_AUTH, else none", "[redis][credentials]") {
  TempFile file("from-file\n", 0600);
  setenv("REDISCLI_AUTH", "from-env", 1);
  CHECK(redis::load_credentials("app", file.path).value().password == "from-file");
  CHECK(redis::load_credentials("app", file.path).value().user == "app");
  CHECK(redis::load_credentials("", "").value().password == "from-env");
  unsetenv("REDISCLI_AUTH");
  CHECK_FALSE(redis::load_credentials("", "").value().has_password());
}
