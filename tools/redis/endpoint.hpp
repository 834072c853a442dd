#pragma once
// Where a Redis listens: TCP host:port or a unix socket path.
#include <optional>
#include <string>
#include <string_view>

namespace vipkit::redis {

struct Endpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string socket;  // non-empty: unix socket, host/port unused

  bool is_unix() const { return !socket.empty(); }
  std::string to_string() const;  // "host:port" or "unix:/path"
  bool operator==(const Endpoint&) const = default;
};

// Parse "HOST:PORT" ("[v6]:PORT" too). nullopt when malformed or the port is
// not 1..65535.
std::optional<Endpoint> parse_host_port(std::string_view text);

}  // namespace vipkit::redis
