// vipkit-writer — test client: writes SET PREFIX:N N through an address (the
// VIP) at a fixed interval and records every *acknowledged* write with its
// wall-clock time in ms, so tests can check that each acknowledged write
// survives a failover and measure the write gap. Reconnects after any error.
// Password from REDISCLI_AUTH, as everything else here.
//
// With --wait-replicas N (the chaos soak), each acknowledged SET is followed
// by WAIT N MS and its line says which kind of ack it got: R (replicated:
// WAIT answered >= N, so a replica holds it) or P (plain: +OK only), and the
// run_id of the server that acknowledged it (asked once per connection), so
// a loss can be traced to the Redis instance that took the write.
#include <fmt/format.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>

#include "redis/connection.hpp"

using namespace vipkit;
using namespace std::chrono;

namespace {
volatile sig_atomic_t stop = 0;
void on_signal(int) { stop = 1; }

long long now_ms() { return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count(); }

// The run_id line of INFO server ("-" when it cannot be had): it names one
// life of one Redis process.
std::string server_run_id(redis::Connection& connection, redis::Deadline deadline) {
  auto info = connection.command({"INFO", "server"}, deadline);
  if (!info) return "-";
  const std::string key = "run_id:";
  const auto at = info->str.find(key);
  if (at == std::string::npos) return "-";
  const auto begin = at + key.size();
  return info->str.substr(begin, info->str.find_first_of("\r\n", begin) - begin);
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vipkit-writer: acknowledged-write recorder for failover tests", "vipkit-writer"};
  redis::Endpoint endpoint;
  std::string out_path, prefix = "w";
  int interval_ms = 10, timeout_ms = 200;
  long long duration_ms = 60000;
  app.add_option("--host", endpoint.host)->required();
  app.add_option("--port", endpoint.port)->required();
  app.add_option("--out", out_path, "ACK lines: SEQ TIME_MS")->required();
  app.add_option("--prefix", prefix);
  app.add_option("--interval-ms", interval_ms);
  app.add_option("--timeout-ms", timeout_ms);
  app.add_option("--duration-ms", duration_ms, "Stop after this long (bounded by design)");
  int wait_replicas = 0, wait_ms = 50;
  app.add_option("--wait-replicas", wait_replicas, "WAIT for this many replicas after each SET (0: no WAIT)")
      ->check(CLI::Range(0, 16));
  app.add_option("--wait-ms", wait_ms, "WAIT's timeout")->check(CLI::Range(1, 10000));
  CLI11_PARSE(app, argc, argv);

  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  auto credentials = redis::load_credentials("", "");
  std::FILE* out = std::fopen(out_path.c_str(), "w");
  if (out == nullptr || !credentials) {
    fmt::print(stderr, "vipkit-writer: cannot open {}\n", out_path);
    return 2;
  }
  const auto end = steady_clock::now() + milliseconds(duration_ms);
  std::optional<redis::Connection> connection;
  long long seq = 0, acked = 0, errors = 0;
  std::string last_error, run_id;
  while (!stop && steady_clock::now() < end) {
    const auto deadline = steady_clock::now() + milliseconds(timeout_ms);
    if (!connection) {
      auto c = redis::Connection::open(endpoint, credentials.value(), deadline);
      if (c) connection.emplace(std::move(c.value()));
      if (connection && wait_replicas > 0) run_id = server_run_id(*connection, deadline);
    }
    if (connection) {
      ++seq;
      const std::string n = std::to_string(seq);
      auto reply = connection->command({"SET", prefix + ":" + n, n}, deadline);
      if (reply && wait_replicas > 0) {
        const auto waited = connection->command(
            {"WAIT", std::to_string(wait_replicas), std::to_string(wait_ms)},
            steady_clock::now() + milliseconds(wait_ms + timeout_ms));
        // The SET was acknowledged either way; a failed WAIT only makes it plain.
        const bool replicated = waited && waited->type == redis::Reply::Type::integer &&
                                waited->integer >= wait_replicas;
        std::fprintf(out, "%lld %lld %c %s\n", seq, now_ms(), replicated ? 'R' : 'P', run_id.c_str());
        std::fflush(out);
        ++acked;
        if (!waited) connection.reset();
      } else if (reply) {
        std::fprintf(out, "%lld %lld\n", seq, now_ms());
        std::fflush(out);
        ++acked;
      } else {
        // Not acknowledged: the write may or may not have happened; only
        // acknowledged writes are promised to survive.
        ++errors;
        if (reply.error().message != last_error) {
          fmt::print(stderr, "{} error seq={} {}\n", now_ms(), seq, reply.error().message);
          last_error = reply.error().message;
        }
        connection.reset();
      }
    }
    std::this_thread::sleep_for(milliseconds(interval_ms));
  }
  std::fclose(out);
  fmt::print(stderr, "vipkit-writer: sent={} acked={} errors={}\n", seq, acked, errors);
  return 0;
}
