#pragma once
// Builders for NodeState in decision tests: read as "a master with history A
// at offset 100 holding 5 keys".
#include "ha/node_state.hpp"

namespace vipkit::test {

inline const std::string history_a = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
inline const std::string history_b = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
inline const std::string history_c = "cccccccccccccccccccccccccccccccccccccccc";
inline const std::string no_history = "0000000000000000000000000000000000000000";

inline ha::NodeState master(const std::string& replid, long long offset, long long keys) {
  ha::NodeState s;
  s.reachable = true;
  s.role = redis::Role::master;
  s.replid = replid;
  s.replid2 = no_history;
  s.offset = offset;
  s.dbsize = keys;
  return s;
}

// A master promoted from a replica of `previous` at `previous_offset`.
inline ha::NodeState promoted(const std::string& replid, long long offset, long long keys,
                              const std::string& previous, long long previous_offset) {
  ha::NodeState s = master(replid, offset, keys);
  s.replid2 = previous;
  s.second_offset = previous_offset + 1;  // what Redis reports: next byte after the switch
  return s;
}

inline ha::NodeState replica(const std::string& replid, long long offset, long long keys,
                             const std::string& host, int port, bool link_up) {
  ha::NodeState s = master(replid, offset, keys);
  s.role = redis::Role::replica;
  s.master_host = host;
  s.master_port = port;
  s.link_up = link_up;
  return s;
}

// The same node with vipkit's replica hold set (ha/replica_guard.hpp).
inline ha::NodeState held(ha::NodeState s) {
  s.held = true;
  return s;
}

inline ha::NodeState down() {
  return ha::NodeState::unreachable({redis::ErrorCode::unreachable, "Connection refused"});
}

inline ha::NodeState loading_node() {
  ha::NodeState s = master(history_a, 0, -1);
  s.loading = true;
  return s;
}

}  // namespace vipkit::test
