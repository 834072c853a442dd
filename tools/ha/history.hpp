#pragma once
// Does one node's history contain everything another node holds?
//
// Redis replication history is (replid, offset). A replica that is re-pointed
// to a master either continues with PSYNC (nothing lost) or does a full
// resync (its dataset is discarded and replaced). A node's writes are safe
// under the new master when the master's history contains the node's:
//   - same replid and node.offset <= master.offset, or
//   - node.replid == master.replid2 and node.offset < master.second_offset
//     (the master was promoted after having received the node's history;
//     Redis accepts PSYNC for replid2 up to second_repl_offset, exclusive of
//     the byte after: psync_offset = offset+1 <= second_repl_offset), or
//   - the node holds no keys at all (nothing to lose).
#include <string_view>

#include "ha/node_state.hpp"

namespace vipkit::ha {

enum class Coverage {
  empty,             // node holds no keys
  same_history,      // same replid, node not ahead
  previous_history,  // node's replid is the holder's replid2, within second_offset
  not_covered,       // node holds writes the holder lacks (or unknown)
};
std::string_view to_token(Coverage coverage);

// Redis reports "no previous history" as forty zeros (master_replid2 of a
// node never promoted); empty means not known.
bool is_null_replid(std::string_view id);

// Is everything `node` holds also in `holder`?
Coverage coverage_of(const NodeState& node, const NodeState& holder);
inline bool is_covered(Coverage c) { return c != Coverage::not_covered; }

// A replica held by vipkit (armed while linked to this master, so its data
// was this master's history), its link down and no full sync running, that
// holds data the master's history does not cover: the master came back
// without its data (restarted empty or from an older RDB). A replica that was
// never linked to this master (restarted from an RDB of another lineage) is
// not held and does not count: its data is not known to be the newer.
bool unlinked_with_more(const NodeState& replica, const NodeState& master);

// A holder that is empty and whose history shares nothing with the node's:
// re-pointing a node with data to it would wipe that data.
bool is_empty_unrelated(const NodeState& holder, const NodeState& node);

}  // namespace vipkit::ha
