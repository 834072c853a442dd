#pragma once
// The HTTP edge of the metrics (vipd's `metrics-listen`, vip-notify --fifo's
// `--metrics-listen`): civetweb serves GET /metrics on its own threads.
// vipd's loop only ever publishes a finished page (a pointer swap under a
// mutex); vip-notify's page is rendered on civetweb's thread from a copy of
// its counters taken under their mutex (a `source`). Either way a slow,
// silent or hostile scraper can hold at most civetweb's threads, never the
// thread that sends adverts, reads keepalived's FIFO or applies states:
//   - two worker threads, a queue of 8 connections, a backlog of 8;
//   - a request must arrive whole within 2 s (request_timeout_ms), and its
//     headers fit in 8 KiB (max_request_size): else civetweb drops it;
//   - no keep-alive, no files, no directory listing: /metrics only.
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "vrrp/sys/sys_error.hpp"

struct mg_context;
struct mg_connection;

namespace vipkit::vrrp::sys {

class MetricsServer {
 public:
  // Renders the page for one scrape, on civetweb's thread; must not block
  // for long (copy under a lock, then render).
  using Source = std::function<std::string()>;

  // Listen on "ADDR:PORT" (IPv4). The error says why civetweb could not.
  // Without a source, scrapes get what publish() last gave.
  static SysResult<std::unique_ptr<MetricsServer>> start(const std::string& listen, Source source = {});
  ~MetricsServer();  // stops civetweb, waiting for its threads
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // What every scrape gets from now on (Prometheus text format).
  void publish(std::string page);

 private:
  MetricsServer() = default;
  static int serve(mg_connection* connection, void* self);
  std::shared_ptr<const std::string> page() const;

  Source source_;
  mutable std::mutex mutex_;
  std::shared_ptr<const std::string> page_ = std::make_shared<const std::string>();
  mg_context* context_ = nullptr;
};

}  // namespace vipkit::vrrp::sys
