#pragma once
// vip-notify --fifo: the long-running handler keepalived starts as
// vrrp_notify_fifo_script. Reads keepalived's ordered event lines, applies
// them strictly in order, and every reconcile interval re-applies each
// instance's last VRRP state, so an edge that fired while Redis was down (or
// a Redis that restarted as master behind our back) is fixed without waiting
// for the next VRRP transition. Exits 0 when keepalived closes the FIFO.
#include <sys/types.h>

#include <chrono>
#include <string>

#include "common/log.hpp"
#include "common/instance_config.hpp"

namespace vipkit::notify {

struct FifoConfig {
  std::string fifo_path;
  std::string config_dir;  // DIR/NAME.conf per vrrp_instance NAME
  std::chrono::milliseconds reconcile_interval{3000};
  common::InstanceOptions defaults;  // options given on the command line apply to every instance
  pid_t starter = 0;  // keepalived's VRRP process, which started us (speaker_end.hpp); 0: our parent
  int heartbeat_fd = -1;  // the resident checks beat here (fifo_supervisor.hpp)
  std::string metrics_listen;  // ADDR:PORT for Prometheus (notify_metrics.hpp); empty: off
};

int run_fifo_loop(const FifoConfig& config, const common::Logger& log);

// Every configured instance's track files raised (health_watch.hpp): what the
// supervisor does when the reader and its checks are gone.
void raise_all_track_files(const FifoConfig& config, const common::Logger& log);

}  // namespace vipkit::notify
