#include "common/redis_options.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include "common/cli.hpp"

namespace vipkit::common {

void add_redis_options(CLI::App& app, RedisOptions& o, int default_timeout_ms, bool with_vip) {
  o.timeout_ms = default_timeout_ms;
  app.add_option("--host", o.host, "Local Redis host")->capture_default_str();
  app.add_option("--port", o.port, "Local Redis port")->capture_default_str()->check(CLI::Range(1, 65535));
  app.add_option("--socket", o.socket, "Local Redis unix socket (instead of --host/--port)");
  app.add_option("--user", o.user, "ACL user for AUTH (default: the default user)");
  app.add_option("--password-file", o.password_file,
                 "File holding the password (mode 0600); else REDISCLI_AUTH is used");
  app.add_option("--peer", o.peer, "The other node's Redis as HOST:PORT");
  if (with_vip) app.add_option("--vip", o.vip, "The virtual IP: is it on a local interface now?");
  app.add_option("--timeout", o.timeout_ms, "Bound on each Redis exchange, ms")
      ->capture_default_str()
      ->check(CLI::Range(1, 600000));
}

Connections resolve(const RedisOptions& o) {
  auto credentials = redis::load_credentials(o.user, o.password_file);
  if (!credentials) throw ConfigError(credentials.error().message);

  Connections c;
  c.timeout = std::chrono::milliseconds(o.timeout_ms);
  c.local.credentials = credentials.value();
  c.local.endpoint.host = o.host;
  c.local.endpoint.port = o.port;
  c.local.endpoint.socket = o.socket;
  if (!o.peer.empty()) {
    auto peer = redis::parse_host_port(o.peer);
    if (!peer) throw ConfigError(fmt::format("--peer {}: expected HOST:PORT", o.peer));
    c.peer = ha::Target{*peer, credentials.value()};
  }
  if (!o.vip.empty()) {
    in_addr a4{};
    in6_addr a6{};
    if (inet_pton(AF_INET, o.vip.c_str(), &a4) != 1 && inet_pton(AF_INET6, o.vip.c_str(), &a6) != 1) {
      throw ConfigError(fmt::format("--vip {}: not an IP address (give it without /prefix)", o.vip));
    }
    c.vip = o.vip;
  }
  return c;
}

}  // namespace vipkit::common
