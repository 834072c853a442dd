#include <catch2/catch.hpp>

#include "ha/history.hpp"
#include "node_builders.hpp"

using namespace vipkit;
using namespace vipkit::test;
using ha::Coverage;

TEST_CASE("an empty node is covered by anything", "[ha][history]") {
  CHECK(ha::coverage_of(master(history_c, 0, 0), master(history_a, 500, 10)) == Coverage::empty);
}

TEST_CASE("same history: covered while not ahead of the holder", "[ha][history]") {
  const auto holder = master(history_a, 500, 10);
  CHECK(ha::coverage_of(replica(history_a, 500, 10, "h", 1, true), holder) == Coverage::same_history);
  CHECK(ha::coverage_of(replica(history_a, 120, 4, "h", 1, false), holder) == Coverage::same_history);
  CHECK(ha::coverage_of(master(history_a, 501, 10), holder) == Coverage::not_covered);
}

TEST_CASE("previous history: covered up to second_repl_offset, exclusive", "[ha][history]") {
  // B was a replica of A and was promoted at A's offset 300.
  const auto b = promoted(history_b, 420, 12, history_a, 300);
  CHECK(ha::coverage_of(master(history_a, 300, 9), b) == Coverage::previous_history);
  CHECK(ha::coverage_of(master(history_a, 250, 9), b) == Coverage::previous_history);
  // A accepted writes after B's promotion: those would be lost.
  CHECK(ha::coverage_of(master(history_a, 301, 9), b) == Coverage::not_covered);
}

TEST_CASE("unrelated or unknown histories are never assumed covered", "[ha][history]") {
  CHECK(ha::coverage_of(master(history_c, 10, 3), master(history_a, 500, 10)) == Coverage::not_covered);
  CHECK(ha::coverage_of(master(history_a, 10, 3), down()) == Coverage::not_covered);
  auto unknown_keys = master(history_a, 600, -1);
  CHECK(ha::coverage_of(unknown_keys, master(history_a, 500, 10)) == Coverage::not_covered);
}

TEST_CASE("empty unrelated holder", "[ha][history]") {
  const auto data = master(history_a, 500, 10);
  CHECK(ha::is_empty_unrelated(master(history_c, 0, 0), data));
  CHECK_FALSE(ha::is_empty_unrelated(master(history_c, 0, 3), data));
  // Empty but sharing our history (e.g. a FLUSHALL replicated from us): related.
  CHECK_FALSE(ha::is_empty_unrelated(master(history_a, 900, 0), data));
  CHECK_FALSE(ha::is_empty_unrelated(promoted(history_c, 900, 0, history_a, 400), data));
}
