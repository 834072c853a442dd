#pragma once
// The three ways keepalived (or an operator) tells us about a VRRP state:
//   explicit:  vip-notify master|backup|fault|stop
//   generic:   notify script called with  INSTANCE|GROUP NAME STATE PRIORITY
//   FIFO:      lines  INSTANCE "NAME" STATE PRIORITY  on vrrp_notify_fifo
// Parsed here, purely, into one Event type.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ha/plan.hpp"

namespace vipkit::notify {

struct Event {
  std::string instance;            // empty: the caller's --instance
  ha::VrrpState state = ha::VrrpState::backup;
  std::optional<int> priority;
  std::string source;              // "explicit", "notify", "fifo", "reconcile"
};

struct ParsedEvent {
  std::optional<Event> event;  // set when the input is an event we act on
  std::string ignored;         // why it was not (empty when event is set)
  // Not something keepalived writes (garbage, an unknown state, a name
  // that cannot be a file name): worth a warning, where a GROUP or
  // MASTER_RX_LOWER_PRI line is routine. Outside text in `ignored` is
  // escaped and cut (common/outside_text.hpp).
  bool malformed = false;
};

// Positional arguments of the explicit or the generic form.
ParsedEvent parse_arguments(const std::vector<std::string>& args);

// One line read from keepalived's notify FIFO (without the newline).
// GROUP lines, VS/RS (checker) lines and states we do not act on
// (e.g. MASTER_RX_LOWER_PRI) are ignored with a reason.
ParsedEvent parse_fifo_line(std::string_view line);

}  // namespace vipkit::notify
