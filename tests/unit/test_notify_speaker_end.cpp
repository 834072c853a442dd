#include <catch2/catch.hpp>

#include "vip-notify/speaker_end.hpp"

using namespace vipkit;
using notify::FifoEnd;
using notify::InstanceAtEnd;
using notify::plan_release;
using notify::speaker_died;
using ha::VrrpState;

TEST_CASE("only a closed FIFO whose starter is gone means keepalived died", "[notify][speaker]") {
  CHECK(speaker_died({true, true}));             // kill -9 of keepalived's VRRP process
  CHECK_FALSE(speaker_died({true, false}));      // reload, or the reader run by hand
  CHECK_FALSE(speaker_died({false, true}));      // something else still holds the FIFO open
  CHECK_FALSE(speaker_died({false, false}));     // SIGTERM from a live keepalived (stop, reload)
}

TEST_CASE("a live speaker: nothing is released", "[notify][speaker]") {
  const std::vector<InstanceAtEnd> instances = {{"a", VrrpState::master, true, true}};
  CHECK(plan_release({true, false}, instances).empty());
  CHECK(plan_release({false, false}, instances).empty());
}

TEST_CASE("a dead speaker: each instance by what was seen", "[notify][speaker]") {
  const auto rows = plan_release({true, true}, {
                                                   {"holder", VrrpState::master, true, true},
                                                   {"backup", VrrpState::backup, false, true},
                                                   {"no_vip", VrrpState::master, std::nullopt, true},
                                                   {"stopped", VrrpState::stop, true, true},
                                                   {"unheard", std::nullopt, true, false},
                                               });
  REQUIRE(rows.size() == 5);
  CHECK(rows[0].instance == "holder");
  CHECK(rows[0].remove_vip);
  CHECK(rows[0].resign);  // the VIP was ours: the peer is told at once
  CHECK(rows[0].apply_stop);
  CHECK(rows[0].reason == "speaker-died");

  CHECK_FALSE(rows[1].remove_vip);
  CHECK_FALSE(rows[1].resign);  // a backup's death changes nothing for the master
  CHECK(rows[1].apply_stop);
  CHECK(rows[1].reason == "vip-not-local");

  CHECK_FALSE(rows[2].remove_vip);
  CHECK(rows[2].apply_stop);
  CHECK(rows[2].reason == "vip-unknown");

  // keepalived said STOP before the FIFO closed: it released the VIP itself.
  CHECK_FALSE(rows[3].remove_vip);
  CHECK_FALSE(rows[3].apply_stop);
  CHECK_FALSE(rows[3].resign);  // keepalived sent its own
  CHECK(rows[3].reason == "stopped");

  // No event since the reader started (it was started by a reload): the VIP
  // is still keepalived's to release, and keepalived is gone.
  CHECK(rows[4].remove_vip);
  CHECK_FALSE(rows[4].resign);  // the file has no vrrp-vrid: the peer's master-down timer decides
  CHECK(rows[4].apply_stop);
  CHECK(rows[4].reason == "speaker-died");
}
