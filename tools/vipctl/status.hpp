#pragma once
// vipctl status: gather what is observable of the pair (both nodes, the VIP,
// the VRRP state, the last transitions) and judge it. The verdict is a pure
// function of the gathered view, unit-tested row by row.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/io_error.hpp"
#include "common/instance_config.hpp"
#include "ha/switchover.hpp"
#include "vipctl/finding.hpp"
#include "vipctl/node_view.hpp"
#include "vipctl/vip_probe.hpp"

namespace vipkit::vipctl {

// The VRRP side: from vipd's control socket, or from vip-notify's state file
// (STATE_DIR/NAME.json) when keepalived runs.
struct VrrpView {
  std::string source;  // "vip-notify" | "vipd" | "" (nothing found)
  std::string state;   // master | backup | fault | stop | initialize; "" unknown
  std::string detail;  // where it was read, or why it is unknown
  // Oldest first; "time", "state", "action", "reason", "result" are text.
  nlohmann::json transitions = nlohmann::json::array();
  // The state file or vipd's answer is unusable (torn, hand-edited, another
  // program): "state-file-invalid" / "vipd-answer-invalid", one line naming
  // the file or socket and the field.
  std::vector<Finding> problems;
};

// Pure. The view from vip-notify's state file as common::load_state read it
// (an empty object: nothing recorded yet); the last `count` transitions,
// without their bulky per-node parts.
VrrpView vrrp_from_state(const IoResult<nlohmann::json>& loaded, const std::string& path, std::size_t count);
// Pure. The view from vipd's answer to {"cmd":"status"}, keeping the state
// file's transitions and problems.
VrrpView vrrp_from_vipd_answer(const IoResult<nlohmann::json>& answer, const std::string& socket,
                               VrrpView from_file);

struct PairStatus {
  std::string instance;
  NodeView local;
  NodeView peer;
  std::optional<redis::Endpoint> local_advertised;  // how the peer reaches the local node (--self)
  std::optional<VipView> vip;  // nullopt: no --vip configured
  VrrpView vrrp;
};

struct Health {
  bool healthy = false;
  std::vector<Finding> findings;  // empty when healthy
};

// Healthy: exactly one master, the other node its replica with the link up
// and no full sync running, the VIP (when configured) on the master — both on
// that host's interface and answered by that Redis — and no switchover
// running, and the VRRP side readable. Pure.
Health assess_health(const PairStatus& status);

// The switchover marker either node carries.
std::optional<ha::SwitchoverMarker> marker_of(const PairStatus& status);

struct StatusConfig {
  common::InstanceConfig instance;
  int vip_port = 0;  // Redis port on the VIP
  std::optional<std::string> vipd_socket;  // VRRP state from vipd (else from vip-notify's state file)
  std::size_t transitions = 5;
};

// Observe everything (bounded by the instance's timeout per exchange).
PairStatus gather_status(const StatusConfig& config);

}  // namespace vipkit::vipctl
