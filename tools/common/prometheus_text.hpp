#pragma once
// The Prometheus text exposition format (version 0.0.4), written: metric
// families (HELP and TYPE lines) and their samples, label values escaped.
// Pure; vipd's /metrics (vrrp/vipd/metrics_text) and `vipctl status
// --format prometheus` (for node_exporter's textfile collector) use it.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "common/latency_histogram.hpp"

namespace vipkit::common {

using PrometheusLabels = std::vector<std::pair<std::string, std::string>>;

// A label value as the format wants it: backslash, double quote and line
// feed escaped. (Reasons come from logs, files and other hosts: never trust
// them to be plain.)
std::string prometheus_escaped(std::string_view value);

// A VRRP state token as keepalived (and keepalived-exporter) number it:
// 0 initialize (and stop: not in the election), 1 backup, 2 master,
// 3 fault; nullopt for anything else.
std::optional<int> vrrp_state_number(std::string_view state);

class PrometheusText {
 public:
  // `common`: the labels every sample carries, first.
  explicit PrometheusText(const PrometheusLabels& common);

  // A family's HELP and TYPE lines; its samples follow.
  PrometheusText& family(std::string_view name, std::string_view type, std::string_view help);

  template <typename Value>
  PrometheusText& sample(std::string_view name, const Value& value, const PrometheusLabels& extra = {}) {
    if (common_.empty() && extra.empty()) {
      text_ += fmt::format("{} {}\n", name, value);
    } else {
      text_ += fmt::format("{}{{{}{}}} {}\n", name, common_, labels(extra, !common_.empty()), value);
    }
    return *this;
  }

  // A histogram's samples: NAME_bucket per bound (cumulative) and +Inf,
  // NAME_sum, NAME_count; `extra` labels before `le`.
  PrometheusText& histogram(std::string_view name, const LatencyHistogram& h, const PrometheusLabels& extra = {});

  std::string take() { return std::move(text_); }

 private:
  static std::string labels(const PrometheusLabels& labels, bool after_others);
  std::string common_;
  std::string text_;
};

}  // namespace vipkit::common
