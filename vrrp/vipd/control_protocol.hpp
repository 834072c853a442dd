#pragma once
// vipd's control protocol (docs/vipd.md): one JSON request line in, one JSON
// response line out, then the server closes. Pure building and parsing;
// vrrp/sys/control_server moves the bytes.
//   {"cmd":"status"}  -> {"ok":true,"instance":…,"state":…,…}
//   {"cmd":"promote"} -> {"ok":true,"state":"master"}   (take over now)
//   {"cmd":"demote"}  -> {"ok":true,"state":"backup"}   (resign now)
//   anything else     -> {"ok":false,"error":"…"}
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/io_error.hpp"
#include "base/result.hpp"
#include "ha/node_state.hpp"
#include "common/latency_histogram.hpp"

namespace vipkit::vipd {

enum class Command { status, promote, demote };
std::string_view to_token(Command command);

// The command, or why the line is not a request we serve.
Result<Command, std::string> parse_request(std::string_view line);

struct Counters {
  std::uint64_t adverts_rx = 0;  // accepted adverts
  std::uint64_t adverts_tx = 0;
  std::uint64_t adverts_held = 0;  // a second master's adverts not obeyed while the data decided
  std::uint64_t adverts_muted = 0;  // not sent: master, VIPs not on yet (takeover_policy.hpp)
  std::map<std::string, std::uint64_t> rejected;  // by rejection token
  std::uint64_t priority_zero_rx = 0;  // accepted adverts of a master resigning
  std::uint64_t priority_zero_tx = 0;
  std::uint64_t became_master = 0;
  std::uint64_t left_master = 0;
  std::uint64_t garps_sent = 0;  // gratuitous ARPs, one per VIP announced
  // Each application of a state to Redis that did something (not "nothing",
  // not a routine re-apply that found it done), by action and result ("ok",
  // or the failure's reason token).
  std::map<std::pair<std::string, std::string>, std::uint64_t> actions;
  common::LatencyHistogram health_checks;  // from the check's start to its report
};

// The last VRRP state change, for the metrics.
struct LastChange {
  std::string to;      // state token
  std::string reason;  // the state machine's or the health check's
  double unix_seconds = 0;
};

struct StatusReport {
  std::string instance;
  std::string state;  // initialize | backup | master | fault
  int priority = 0;
  int effective_priority = 0;
  int preference = 0;
  std::string interface;
  int vrid = 0;
  int version = 3;
  std::vector<std::string> vips;  // ADDR/PLEN
  bool vip_present = false;       // every VIP is on the interface now
  std::string master_ip;          // the last master seen ("" when none yet)
  bool healthy = false;
  std::string health_reason;
  std::optional<ha::NodeState> local;  // last observed (nullopt before the first check)
  std::optional<ha::NodeState> peer;
  Counters counters;
  nlohmann::json last_transition;  // the state file's "last", or null
  std::optional<LastChange> last_change;  // the last VRRP state change (none yet: nullopt)
};

// Each without the trailing newline.
std::string status_response(const StatusReport& report);
std::string state_response(std::string_view state);
std::string error_response(std::string_view error);

// The client's side (vipctl): the fields it reads from any response. An
// answer that is not what vipd sends (another program on the socket, another
// version) is an error naming the field, never an exception; absent fields
// read as empty / 0.
struct Response {
  bool ok = false;
  std::string error;  // when !ok
  std::string state;
  std::string instance;
  std::string master_ip;
  long long priority = 0;
  long long effective_priority = 0;
  long long preference = 0;
};
// An answer of the wrong shape is an IoError with EPROTO: vipd's socket
// spoke, but not this protocol (a different program, or a different version).
IoResult<Response> parse_response(const nlohmann::json& doc);

}  // namespace vipkit::vipd
