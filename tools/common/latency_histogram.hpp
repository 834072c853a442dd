#pragma once
// A Prometheus-style histogram of durations with fixed bounds: what vipd
// and vip-notify --fifo expose of their health checks' latency
// (PrometheusText::histogram). Pure; fixed size, so a copy for a status
// report allocates nothing.
#include <array>
#include <chrono>
#include <cstdint>

namespace vipkit::common {

struct LatencyHistogram {
  // Upper bounds in seconds: a check on a held loopback connection takes
  // well under 1 ms; the check timeout is typically 100-2000 ms.
  static constexpr std::array<double, 11> bounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                 0.05,   0.1,   0.25,   0.5,   1.0};
  std::array<std::uint64_t, bounds.size()> at_most{};  // cumulative: observations <= bounds[i]
  std::uint64_t count = 0;
  double sum_seconds = 0;

  void observe(std::chrono::nanoseconds took) {
    const double seconds = std::chrono::duration<double>(took).count();
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      if (seconds <= bounds[i]) ++at_most[i];
    }
    ++count;
    sum_seconds += seconds;
  }
};

}  // namespace vipkit::common
