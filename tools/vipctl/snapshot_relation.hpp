#pragma once
// Is a snapshot's history related to the live master's? A snapshot is kept
// by the side that yielded after two masters met; both sides then descend
// from one replication history. Redis keeps two ids per node (INFO
// replication): master_replid, the current history, and master_replid2, the
// one it continued from when it was promoted. The histories are related
// when any id of one side is an id of the other:
//   - snapshot.replid == master.replid: the same history (a replica's copy);
//   - snapshot.replid2 == master.replid: the yielding side was a replica of
//     this master, then promoted during the partition (the usual case);
//   - snapshot.replid == master.replid2: the master was promoted from the
//     snapshot's history;
//   - snapshot.replid2 == master.replid2: both were promoted from one history.
// Unrelated: the snapshot comes from another dataset (another pair, a test
// instance); merging it would add foreign keys, so the merge refuses unless
// forced.
#include <string>
#include <string_view>

namespace vipkit::vipctl {

struct HistoryIds {
  std::string replid;
  std::string replid2;  // empty or all zeros: none
};

enum class Relation {
  same,      // snapshot.replid == master.replid
  parent,    // an id of one side is the other's replid2
  sibling,   // both continued from one earlier history (replid2 == replid2)
  unrelated,
  unknown,   // the snapshot's ids are not known (no JSON beside the RDB)
};
std::string_view to_token(Relation r);

Relation relation_of(const HistoryIds& snapshot, const HistoryIds& master);
inline bool is_related(Relation r) { return r == Relation::same || r == Relation::parent || r == Relation::sibling; }

// One line for the operator: why the merge is refused (or why it may go on).
std::string relation_reason(Relation r, const HistoryIds& snapshot, const HistoryIds& master);

}  // namespace vipkit::vipctl
