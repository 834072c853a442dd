#include <catch2/catch.hpp>

#include "vrrp/vipd/takeover_policy.hpp"

using namespace vipkit;
using vipd::ResignResponse;
using vrrp::State;

TEST_CASE("takeover policy: a master announces itself only once its VIPs are on", "[vipd][takeover_policy]") {
  struct Row {
    State state;
    std::uint8_t priority;
    bool vips_held;
    bool took_over;
    bool muted;
  };
  const Row rows[] = {
      // Taken over, the worker still applying master: the old master keeps the VIP.
      {State::master, 120, false, true, true},
      // VIPs on: the first advert hands over (and every later one goes out).
      {State::master, 120, true, true, false},
      // Master by master-down (or at start): nobody to hand over from, and
      // silence would let the backup take over a master whose worker is slow.
      {State::master, 120, false, false, false},
      // A resign is always heard, VIPs on or not: the peer must take over.
      {State::master, vrrp::priority_resign, false, true, false},
      {State::master, vrrp::priority_resign, true, true, false},
      // Not master: the shutdown advert of a stopping or failing node.
      {State::backup, vrrp::priority_resign, false, true, false},
      {State::initialize, vrrp::priority_resign, false, false, false},
  };
  for (const auto& row : rows) {
    INFO("state " << vrrp::to_token(row.state) << " priority " << int(row.priority) << " held " << row.vips_held
                  << " took over " << row.took_over);
    CHECK(vipd::advert_muted(row.state, row.priority, row.vips_held, row.took_over) == row.muted);
  }
}

TEST_CASE("takeover policy: a resign hands over at once to the node whose Redis is master", "[vipd][takeover_policy]") {
  struct Row {
    State state;
    bool local_redis_master;
    ResignResponse response;
  };
  const Row rows[] = {
      // vipctl demote switched the Redis roles first: no skew time to wait.
      {State::backup, true, ResignResponse::take_over_now},
      // Not seen master (yet): a fresh check decides; the skew timer is the fallback.
      {State::backup, false, ResignResponse::check_then},
      // Out of the election (unhealthy) or master already: the RFC's rule.
      {State::initialize, true, ResignResponse::skew},
      {State::master, true, ResignResponse::skew},
  };
  for (const auto& row : rows) {
    INFO("state " << vrrp::to_token(row.state) << " local master " << row.local_redis_master);
    CHECK(vipd::on_master_resign(row.state, row.local_redis_master) == row.response);
  }
}
