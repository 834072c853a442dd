#include <catch2/catch.hpp>

#include <arpa/inet.h>

#include <optional>

#include "vrrp/core/state_machine.hpp"

using namespace vipkit::vrrp;
using namespace std::chrono_literals;

namespace {

// A fake clock: scenarios say "at t = 3.6 s" instead of sleeping.
const TimePoint t0{};
TimePoint at(milliseconds ms) { return t0 + ms; }

std::uint32_t ip(const char* text) {
  in_addr a{};
  inet_pton(AF_INET, text, &a);
  return a.s_addr;
}

MachineConfig config(std::uint8_t priority, bool preempt = true) {
  MachineConfig c;
  c.version = Version::v3;
  c.priority = priority;
  c.advert_interval = 1000ms;
  c.preempt = preempt;
  c.primary_ip_be = ip("192.0.2.11");
  return c;
}

ReceivedAdvert from(std::uint8_t priority, const char* src = "192.0.2.12", milliseconds interval = 1000ms) {
  return {priority, interval, ip(src)};
}

template <class T>
const T* find(const Actions& actions) {
  for (const auto& a : actions) {
    if (const T* t = std::get_if<T>(&a)) return t;
  }
  return nullptr;
}

std::optional<TimePoint> timer_in(const Actions& actions) {
  const ArmTimer* t = find<ArmTimer>(actions);
  return t ? std::optional<TimePoint>(t->at) : std::nullopt;
}

}  // namespace

TEST_CASE("RFC 5798 timers: skew and master down interval", "[vrrp][fsm]") {
  StateMachine v3(config(100));
  // (256 - 100) * 1000 / 256 = 609 ms; 3 * 1000 + 609
  CHECK(v3.skew_time() == 609ms);
  CHECK(v3.master_down_interval() == 3609ms);
  MachineConfig c2 = config(100);
  c2.version = Version::v2;
  StateMachine v2(c2);
  // v2: (256 - 100) / 256 s
  CHECK(v2.skew_time() == 609ms);
  CHECK(StateMachine(config(254)).skew_time() == 7ms);
}

TEST_CASE("the address owner (255) is master at once", "[vrrp][fsm]") {
  StateMachine m(config(255));
  const Actions a = m.startup(t0);
  CHECK(m.state() == State::master);
  REQUIRE(a.size() == 5);
  CHECK(std::get<SendAdvert>(a[0]).priority == 255);
  CHECK(std::holds_alternative<AddVips>(a[1]));
  CHECK(std::holds_alternative<SendGarp>(a[2]));
  CHECK(std::get<ArmTimer>(a[3]).at == at(1000ms));
  CHECK(std::get<StateChange>(a[4]).reason == "owner");
}

TEST_CASE("a backup takes over when the master goes silent, not before", "[vrrp][fsm]") {
  StateMachine m(config(100));
  CHECK(timer_in(m.startup(t0)) == at(3609ms));
  CHECK(m.state() == State::backup);

  SECTION("an early wake-up keeps the deadline") {
    const Actions a = m.on_timer(at(3608ms));
    CHECK(m.state() == State::backup);
    CHECK(timer_in(a) == at(3609ms));
    CHECK_FALSE(find<SendAdvert>(a));
  }
  SECTION("adverts from the master keep pushing the deadline") {
    CHECK(timer_in(m.advert_received(from(150), at(1000ms))) == at(4609ms));
    CHECK(m.on_timer(at(3609ms)).size() == 1);  // stale: re-armed, still backup
    CHECK(m.state() == State::backup);
  }
  SECTION("at the deadline: master, advert, VIPs, GARP, advert timer") {
    const Actions a = m.on_timer(at(3609ms));
    CHECK(m.state() == State::master);
    CHECK(find<SendAdvert>(a)->priority == 100);
    CHECK(find<AddVips>(a));
    CHECK(find<SendGarp>(a));
    CHECK(timer_in(a) == at(4609ms));
    CHECK(find<StateChange>(a)->reason == "master-down");
  }
}

TEST_CASE("priority 0 from the master: take over after skew time", "[vrrp][fsm]") {
  StateMachine m(config(100));
  m.startup(t0);
  CHECK(timer_in(m.advert_received(from(0), at(2000ms))) == at(2609ms));
  SECTION("the reason says the master resigned") {
    const Actions a = m.on_timer(at(2609ms));
    CHECK(m.state() == State::master);
    CHECK(find<StateChange>(a)->reason == "master-resigned");
  }
  SECTION("a master that speaks again after its priority 0 is merely down later") {
    m.advert_received(from(150), at(2100ms));
    const Actions a = m.on_timer(at(2100ms + 3609ms));
    CHECK(find<StateChange>(a)->reason == "master-down");
  }
}

TEST_CASE("preemption", "[vrrp][fsm]") {
  SECTION("preempt: a lower-priority master's adverts are ignored, so we take over") {
    StateMachine m(config(100));
    m.startup(t0);
    CHECK_FALSE(timer_in(m.advert_received(from(90), at(1000ms))));
    m.on_timer(at(3609ms));
    CHECK(m.state() == State::master);
  }
  SECTION("nopreempt: a lower-priority master keeps the VIP") {
    StateMachine m(config(100, false));
    m.startup(t0);
    CHECK(timer_in(m.advert_received(from(90), at(3000ms))) == at(6609ms));
    m.on_timer(at(3609ms));
    CHECK(m.state() == State::backup);
  }
  SECTION("preempt_delay: no preemption that soon after start") {
    MachineConfig c = config(100);
    c.preempt_delay = 10000ms;
    StateMachine m(c);
    m.startup(t0);
    CHECK(timer_in(m.advert_received(from(90), at(3000ms))) == at(6609ms));
    CHECK_FALSE(timer_in(m.advert_received(from(90), at(10000ms))));
  }
}

TEST_CASE("a master meets other adverts", "[vrrp][fsm]") {
  StateMachine m(config(100));
  m.startup(t0);
  m.on_timer(at(3609ms));
  REQUIRE(m.state() == State::master);

  SECTION("higher priority: back off, drop the VIPs") {
    const Actions a = m.advert_received(from(150), at(4000ms));
    CHECK(m.state() == State::backup);
    CHECK(find<RemoveVips>(a));
    CHECK(timer_in(a) == at(7609ms));
    CHECK(find<StateChange>(a)->reason == "higher-priority");
  }
  SECTION("same priority, higher address wins the tie") {
    m.advert_received(from(100, "192.0.2.12"), at(4000ms));
    CHECK(m.state() == State::backup);
  }
  SECTION("same priority, lower address loses: we answer at once") {
    const Actions a = m.advert_received(from(100, "192.0.2.10"), at(4000ms));
    CHECK(m.state() == State::master);
    CHECK(find<SendAdvert>(a)->priority == 100);
  }
  SECTION("lower priority: answer at once so it backs off now") {
    const Actions a = m.advert_received(from(90), at(4000ms));
    CHECK(m.state() == State::master);
    CHECK(find<SendAdvert>(a)->priority == 100);
    CHECK(timer_in(a) == at(5000ms));
  }
  SECTION("advert timer: advertise and re-arm") {
    const Actions a = m.on_timer(at(4609ms));
    CHECK(find<SendAdvert>(a)->priority == 100);
    CHECK(timer_in(a) == at(5609ms));
  }
  SECTION("health lowers the priority: advertised at once") {
    const Actions a = m.priority_changed(80, at(4100ms));
    CHECK(find<SendAdvert>(a)->priority == 80);
    CHECK(m.priority() == 80);
    m.advert_received(from(90), at(4200ms));
    CHECK(m.state() == State::backup);
  }
  SECTION("shutdown: priority 0, drop the VIPs") {
    const Actions a = m.shutdown(at(5000ms));
    CHECK(m.state() == State::initialize);
    CHECK(find<SendAdvert>(a)->priority == 0);
    CHECK(find<RemoveVips>(a));
    CHECK(find<CancelTimer>(a));
  }
}

TEST_CASE("v3 backups learn the master's advert interval", "[vrrp][fsm]") {
  StateMachine m(config(100));
  m.startup(t0);
  // Master advertises every 100 ms: 3 * 100 + (156 * 100 / 256 = 60)
  CHECK(timer_in(m.advert_received(from(150, "192.0.2.12", 100ms), at(500ms))) == at(860ms));
  CHECK(m.master_down_interval() == 360ms);
}

TEST_CASE("operator take-over: a backup is master at once", "[vrrp][fsm]") {
  StateMachine m(config(100));
  m.startup(t0);
  SECTION("from backup: advert with the current priority, VIPs, GARP, advert timer") {
    m.priority_changed(130, at(500ms));
    const Actions a = m.take_over(at(1000ms));
    CHECK(m.state() == State::master);
    CHECK(find<SendAdvert>(a)->priority == 130);
    CHECK(find<AddVips>(a));
    CHECK(find<SendGarp>(a));
    CHECK(timer_in(a) == at(2000ms));
    CHECK(find<StateChange>(a)->from == State::backup);
    CHECK(find<StateChange>(a)->reason == "take-over");
  }
  SECTION("the old master's higher priority still wins") {
    m.take_over(at(1000ms));
    m.advert_received(from(150), at(1100ms));
    CHECK(m.state() == State::backup);
  }
  SECTION("a master or a stopped machine: nothing to do") {
    m.take_over(at(1000ms));
    CHECK(m.take_over(at(1100ms)).empty());
    m.shutdown(at(1200ms));
    CHECK(m.take_over(at(1300ms)).empty());
    CHECK(m.state() == State::initialize);
  }
}

TEST_CASE("operator resign: a master steps down with priority 0", "[vrrp][fsm]") {
  StateMachine m(config(100));
  m.startup(t0);
  SECTION("a backup has nothing to resign") { CHECK(m.resign(at(1000ms)).empty()); }
  m.on_timer(at(3609ms));
  REQUIRE(m.state() == State::master);

  SECTION("priority 0 first, then the VIPs go, then the master-down timer") {
    m.priority_changed(85, at(4000ms));
    const Actions a = m.resign(at(4100ms));
    CHECK(m.state() == State::backup);
    REQUIRE(a.size() == 4);
    CHECK(std::get<SendAdvert>(a[0]).priority == 0);
    CHECK(std::holds_alternative<RemoveVips>(a[1]));
    // 3 * 1000 + (256 - 85) * 1000 / 256 = 3000 + 667
    CHECK(std::get<ArmTimer>(a[2]).at == at(4100ms + 3667ms));
    CHECK(std::get<StateChange>(a[3]).reason == "resign");
  }
  SECTION("the peer that takes over keeps us backup (its priority is now higher)") {
    m.priority_changed(85, at(4000ms));
    m.resign(at(4100ms));
    CHECK(timer_in(m.advert_received(from(90), at(4200ms))) == at(4200ms + 3667ms));
    CHECK(m.on_timer(at(4300ms)).size() == 1);  // early: re-armed only
    CHECK(m.state() == State::backup);
  }
  SECTION("without a lower priority, a preempting backup wins it back after Master_Down_Interval") {
    m.resign(at(4100ms));
    CHECK_FALSE(timer_in(m.advert_received(from(90), at(4200ms))));
    m.on_timer(at(4100ms + 3609ms));
    CHECK(m.state() == State::master);
  }
}

TEST_CASE("a backup in a peer's priority-0 window takes over at skew time, v2 too", "[vrrp][fsm]") {
  MachineConfig c = config(90);
  c.version = Version::v2;
  StateMachine m(c);
  m.startup(t0);
  // v2 skew: (256 - 90) / 256 s = 648 ms
  CHECK(timer_in(m.advert_received(from(0), at(1000ms))) == at(1648ms));
  CHECK(m.on_timer(at(1647ms)).size() == 1);
  CHECK(m.state() == State::backup);
  m.on_timer(at(1648ms));
  CHECK(m.state() == State::master);
}
