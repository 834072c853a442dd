#pragma once
// vipd's state in the Prometheus text exposition format (version 0.0.4),
// for `metrics-listen` (vrrp/sys/metrics_server.hpp). Pure: the same report
// always gives the same bytes (tests/unit/test_vipd_metrics_text.cpp).
//
// Names follow what dashboards already use, under a vipkit_ prefix:
// keepalived-exporter's (vrrp_state with its numbering, advertisements
// received/sent, become/release master, priority-zero adverts, one counter
// per packet error) and redis_exporter's (redis_up, master_link_up,
// master_repl_offset). Every sample carries instance, interface and vrid.
#include <string>

#include "vrrp/vipd/control_protocol.hpp"

namespace vipkit::vipd {

std::string metrics_text(const StatusReport& report);

}  // namespace vipkit::vipd
