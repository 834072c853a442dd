#include "vrrp/sys/metrics_server.hpp"

#include <civetweb.h>

#include <array>
#include <cstring>
#include <exception>

namespace vipkit::vrrp::sys {

namespace {

// civetweb is initialised once per process, before the first server.
void init_library_once() {
  static const bool done = [] {
    mg_init_library(0);
    return true;
  }();
  (void)done;
}

// civetweb prints its own errors to stderr unless told otherwise: quiet, the
// daemon logs what matters (a failed start) itself.
int quiet(const mg_connection*, const char*) { return 1; }

}  // namespace

SysResult<std::unique_ptr<MetricsServer>> MetricsServer::start(const std::string& listen, Source source) {
  init_library_once();
  std::unique_ptr<MetricsServer> server(new MetricsServer());
  server->source_ = std::move(source);
  const char* options[] = {"listening_ports", listen.c_str(),
                           "num_threads", "2",
                           "connection_queue", "8",
                           "listen_backlog", "8",
                           "request_timeout_ms", "2000",
                           "max_request_size", "8192",
                           "enable_keep_alive", "no",
                           "linger_timeout_ms", "0",
                           nullptr};
  mg_callbacks callbacks{};
  callbacks.log_message = quiet;
  mg_init_data init{&callbacks, server.get(), options};
  std::array<char, 256> text{};
  unsigned code = 0;
  mg_error_data error{&code, text.data(), text.size()};
  server->context_ = mg_start2(&init, &error);
  if (server->context_ == nullptr) {
    return SysError{static_cast<int>(code), "metrics-listen " + listen + ": " +
                                                (text[0] != '\0' ? text.data() : "civetweb could not start")};
  }
  mg_set_request_handler(server->context_, "/metrics$", &MetricsServer::serve, server.get());
  return server;
}

MetricsServer::~MetricsServer() {
  if (context_ != nullptr) mg_stop(context_);
}

void MetricsServer::publish(std::string page) {
  auto next = std::make_shared<const std::string>(std::move(page));
  std::lock_guard lock(mutex_);
  page_.swap(next);
}

std::shared_ptr<const std::string> MetricsServer::page() const {
  std::lock_guard lock(mutex_);
  return page_;
}

int MetricsServer::serve(mg_connection* connection, void* self) {
  const mg_request_info* request = mg_get_request_info(connection);
  if (request == nullptr || request->request_method == nullptr ||
      (std::strcmp(request->request_method, "GET") != 0 && std::strcmp(request->request_method, "HEAD") != 0)) {
    mg_send_http_error(connection, 405, "%s", "only GET /metrics\n");
    return 405;
  }
  // Written out of the publisher's way: the copy is shared, not locked.
  const auto* server = static_cast<MetricsServer*>(self);
  std::shared_ptr<const std::string> page;
  try {
    page = server->source_ ? std::make_shared<const std::string>(server->source_()) : server->page();
  } catch (const std::exception&) {  // never through civetweb's C frames
    mg_send_http_error(connection, 500, "%s", "metrics unavailable\n");
    return 500;
  }
  mg_send_http_ok(connection, "text/plain; version=0.0.4; charset=utf-8", static_cast<long long>(page->size()));
  if (std::strcmp(request->request_method, "GET") == 0) mg_write(connection, page->data(), page->size());
  return 200;
}

}  // namespace vipkit::vrrp::sys
