#pragma once
// The connection options every front-end shares (vip-check, vip-notify, and
// later vipctl): the local Redis, the peer, credentials, the VIP.
#include <chrono>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "ha/procedures.hpp"
#include "redis/credentials.hpp"
#include "redis/endpoint.hpp"

namespace vipkit::common {

struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string socket;
  std::string user;
  std::string password_file;
  std::string peer;  // HOST:PORT
  std::string vip;   // address (no prefix length)
  int timeout_ms = 500;
};

// Registers --host --port --socket --user --password-file --peer --vip --timeout
// (--vip only `with_vip`).
void add_redis_options(CLI::App& app, RedisOptions& options, int default_timeout_ms, bool with_vip = true);

// Validated form of the options. Throws ConfigError (bad peer, unreadable
// password file, unix socket together with --host).
struct Connections {
  ha::Target local;
  std::optional<ha::Target> peer;  // same credentials as the local node
  std::optional<std::string> vip;
  std::chrono::milliseconds timeout{500};
};
Connections resolve(const RedisOptions& options);

}  // namespace vipkit::common
