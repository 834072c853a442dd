#include "common/prometheus_text.hpp"

namespace vipkit::common {

std::string prometheus_escaped(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::optional<int> vrrp_state_number(std::string_view state) {
  if (state == "initialize" || state == "stop") return 0;
  if (state == "backup") return 1;
  if (state == "master") return 2;
  if (state == "fault") return 3;
  return std::nullopt;
}

PrometheusText::PrometheusText(const PrometheusLabels& common) : common_(labels(common, false)) {}

PrometheusText& PrometheusText::family(std::string_view name, std::string_view type, std::string_view help) {
  text_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  return *this;
}

PrometheusText& PrometheusText::histogram(std::string_view name, const LatencyHistogram& h,
                                          const PrometheusLabels& extra) {
  const std::string bucket = std::string(name) + "_bucket";
  PrometheusLabels with_bound = extra;
  with_bound.emplace_back("le", "");
  for (std::size_t i = 0; i < LatencyHistogram::bounds.size(); ++i) {
    with_bound.back().second = fmt::format("{}", LatencyHistogram::bounds[i]);
    sample(bucket, h.at_most[i], with_bound);
  }
  with_bound.back().second = "+Inf";
  sample(bucket, h.count, with_bound);
  sample(std::string(name) + "_sum", h.sum_seconds, extra);
  return sample(std::string(name) + "_count", h.count, extra);
}

std::string PrometheusText::labels(const PrometheusLabels& labels, bool after_others) {
  std::string out;
  for (const auto& [key, value] : labels) {
    if (after_others || !out.empty()) out += ',';
    out += fmt::format("{}=\"{}\"", key, prometheus_escaped(value));
  }
  return out;
}

}  // namespace vipkit::common
