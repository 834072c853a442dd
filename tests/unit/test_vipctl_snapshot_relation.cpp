#include <catch2/catch.hpp>

#include "vipctl/snapshot_relation.hpp"

using namespace vipkit;
using vipctl::HistoryIds;
using vipctl::Relation;

namespace {
const std::string none(40, '0');
const std::string old_history = "1111111111111111111111111111111111111111";
const std::string master_history = "2222222222222222222222222222222222222222";
const std::string yielded_history = "3333333333333333333333333333333333333333";
const std::string foreign = "4444444444444444444444444444444444444444";
}  // namespace

TEST_CASE("snapshot history: related when any replication id is shared", "[vipctl][snapshot]") {
  const HistoryIds master{master_history, none};
  // A copy taken from a replica of this master.
  CHECK(relation_of({master_history, none}, master) == Relation::same);
  // The usual partition: the yielding side was this master's replica and was
  // promoted (its replid2 is the master's replid).
  CHECK(relation_of({yielded_history, master_history}, master) == Relation::parent);
  // The master was promoted out of the snapshot's history.
  CHECK(relation_of({old_history, none}, HistoryIds{master_history, old_history}) == Relation::parent);
  // Both promoted from one earlier history.
  CHECK(relation_of({yielded_history, old_history}, HistoryIds{master_history, old_history}) == Relation::sibling);
}

TEST_CASE("snapshot history: unrelated or unknown is refused unless forced", "[vipctl][snapshot]") {
  const HistoryIds master{master_history, none};
  CHECK(relation_of({foreign, none}, master) == Relation::unrelated);
  // All-zero replid2 on both sides is "no previous history", not a shared one.
  CHECK(relation_of({foreign, none}, HistoryIds{master_history, none}) == Relation::unrelated);
  CHECK(relation_of({"", ""}, master) == Relation::unknown);
  CHECK(relation_of({none, none}, master) == Relation::unknown);
  CHECK_FALSE(vipctl::is_related(Relation::unrelated));
  CHECK_FALSE(vipctl::is_related(Relation::unknown));
  CHECK(vipctl::is_related(Relation::parent));
  const std::string why = relation_reason(Relation::unrelated, {foreign, none}, master);
  CHECK(why.find("replid " + foreign + " replid2 -") != std::string::npos);
  CHECK(why.find("master_replid " + master_history) != std::string::npos);
}
