#pragma once
// The switchover marker: while `vipctl` moves the master role on purpose, the
// automation on *both* hosts (vip-notify, vipd) must not undo it. The marker
// lives in Redis itself — key `vipkit:switchover`, set on the master with a
// PX expiry — because every automation already observes both nodes, so the
// peer host sees it without any channel of its own, and because the expiry is
// the deadline: a vipctl that crashed cannot freeze automation for longer.
// A key without an expiry is not ours (or not bounded) and is ignored.
// docs/switchover.md describes the whole procedure.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vipkit::ha {

inline constexpr std::string_view switchover_key = "vipkit:switchover";
// The op of the marker that the automation's own takeover (ha::takeover from
// vip-notify or vipd, not vipctl) sets on the old master for the length of
// its write pause: the old master's automation must not unpause or re-point
// it meanwhile. It states no preference: the preference files ignore it.
inline constexpr std::string_view takeover_op = "takeover";

struct SwitchoverMarker {
  std::string to;    // HOST:PORT of the node becoming master, as its peer addresses it
  std::string from;  // HOST:PORT of the node giving the role up
  std::string op;    // "promote" | "demote" (which side vipctl ran on), or takeover_op
  std::string by;    // "vipctl@HOST pid=N", for operators
  long long started_ms = 0;  // unix time, ms

  bool operator==(const SwitchoverMarker&) const = default;
};

// The key's value (JSON). Pure.
std::string format_marker(const SwitchoverMarker& marker);

// `value` is the GET reply text, `pttl_ms` the PTTL reply. nullopt when the
// value is not a marker of ours or the key has no expiry (PTTL -1).
std::optional<SwitchoverMarker> parse_marker(std::string_view value, long long pttl_ms);

// The commands that write the key, one spelling for vipctl and for the
// automation's takeover. `only_if_absent` (NX): a second switchover cannot
// start while one runs. The TTL is always set: a marker without one would
// hold automation back for ever (and is not read as a marker).
std::vector<std::string> marker_set_command(const SwitchoverMarker& marker, std::chrono::milliseconds ttl,
                                            bool only_if_absent);
std::vector<std::string> marker_expire_command(std::chrono::milliseconds ttl);
std::vector<std::string> marker_delete_command();

}  // namespace vipkit::ha
