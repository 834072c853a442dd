#include "ha/history.hpp"

namespace vipkit::ha {

bool is_null_replid(std::string_view id) { return id.empty() || id.find_first_not_of('0') == std::string_view::npos; }

std::string_view to_token(Coverage coverage) {
  switch (coverage) {
    case Coverage::empty: return "empty";
    case Coverage::same_history: return "same-history";
    case Coverage::previous_history: return "previous-history";
    case Coverage::not_covered: return "not-covered";
  }
  return "not-covered";
}

Coverage coverage_of(const NodeState& node, const NodeState& holder) {
  if (node.reachable && node.dbsize == 0) return Coverage::empty;
  if (!node.reachable || !holder.reachable || is_null_replid(node.replid)) {
    return Coverage::not_covered;  // unknown counts as not covered: never guess "safe"
  }
  if (node.replid == holder.replid && node.offset <= holder.offset) return Coverage::same_history;
  // After a promotion, the holder accepts PSYNC on replid2 for offsets up to
  // second_repl_offset: the node's next byte (offset + 1) must be <= it.
  if (!is_null_replid(holder.replid2) && node.replid == holder.replid2 &&
      node.offset + 1 <= holder.second_offset) {
    return Coverage::previous_history;
  }
  return Coverage::not_covered;
}

bool unlinked_with_more(const NodeState& replica, const NodeState& master) {
  return replica.is_replica() && replica.held && !replica.link_up && !replica.sync_in_progress && master.is_master() &&
         !is_covered(coverage_of(replica, master));
}

bool is_empty_unrelated(const NodeState& holder, const NodeState& node) {
  if (holder.dbsize != 0) return false;
  const bool related = holder.replid == node.replid ||
                       (!is_null_replid(holder.replid2) && holder.replid2 == node.replid) ||
                       (!is_null_replid(node.replid2) && node.replid2 == holder.replid);
  return !related;
}

}  // namespace vipkit::ha
