#include "vip-notify/metrics_endpoint.hpp"

#include "common/log.hpp"

namespace vipkit::notify {

MetricsEndpoint::MetricsEndpoint(std::string listen, const MetricsRegistry& registry, common::Logger log)
    : listen_(std::move(listen)), registry_(registry), log_(std::move(log)) {
  retry();
}

void MetricsEndpoint::retry() {
  if (listen_.empty() || server_) return;
  const MetricsRegistry* registry = &registry_;
  auto started = vrrp::sys::MetricsServer::start(listen_, [registry] { return notify_metrics_text(registry->snapshot()); });
  if (!started) {
    const std::string& error = started.error().message;
    if (error != last_error_) {
      log_->error("metrics-error listen={} error={} retry=reconcile", listen_, common::kv_value(error));
    } else {
      log_->debug("metrics-error listen={} error={}", listen_, common::kv_value(error));
    }
    last_error_ = error;
    return;
  }
  server_ = std::move(started).value();
  last_error_.clear();
  log_->info("metrics-listen listen={}", listen_);
}

}  // namespace vipkit::notify
