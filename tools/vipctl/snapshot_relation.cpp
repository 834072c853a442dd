#include "vipctl/snapshot_relation.hpp"

#include <fmt/format.h>

#include "ha/history.hpp"

namespace vipkit::vipctl {

namespace {
bool is_id(std::string_view id) { return !ha::is_null_replid(id); }
bool same_id(std::string_view a, std::string_view b) { return is_id(a) && a == b; }
std::string_view shown(std::string_view id) { return is_id(id) ? id : "-"; }
}  // namespace

std::string_view to_token(Relation r) {
  switch (r) {
    case Relation::same: return "same";
    case Relation::parent: return "parent";
    case Relation::sibling: return "sibling";
    case Relation::unrelated: return "unrelated";
    case Relation::unknown: return "unknown";
  }
  return "unknown";
}

Relation relation_of(const HistoryIds& snapshot, const HistoryIds& master) {
  if (!is_id(snapshot.replid) && !is_id(snapshot.replid2)) return Relation::unknown;
  if (same_id(snapshot.replid, master.replid)) return Relation::same;
  if (same_id(snapshot.replid2, master.replid) || same_id(snapshot.replid, master.replid2)) return Relation::parent;
  if (same_id(snapshot.replid2, master.replid2)) return Relation::sibling;
  return Relation::unrelated;
}

std::string relation_reason(Relation r, const HistoryIds& snapshot, const HistoryIds& master) {
  switch (r) {
    case Relation::unknown:
      return "the snapshot's replication ids are unknown (no readable JSON beside the RDB): cannot tell whether it "
             "comes from this master's history";
    case Relation::unrelated:
      return fmt::format(
          "the snapshot's history (replid {} replid2 {}) shares no id with the master's (master_replid {} "
          "master_replid2 {}): it comes from another dataset",
          shown(snapshot.replid), shown(snapshot.replid2), shown(master.replid), shown(master.replid2));
    case Relation::same: return "the snapshot and the master share their current history";
    case Relation::parent: return "one side was promoted from the other's history";
    case Relation::sibling: return "both sides were promoted from one earlier history";
  }
  return "";
}

}  // namespace vipkit::vipctl
