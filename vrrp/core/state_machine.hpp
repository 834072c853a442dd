#pragma once
// VRRP state machine, RFC 5798 §6.4 (and RFC 3768 §6.4 for v2 timers).
// Pure: events in, actions out, time passed in. It never sends, sleeps or
// reads a clock; the driver (vrrp/sys, vipd) executes the actions and calls
// on_timer() when the deadline of the last ArmTimer has passed.
#include <chrono>
#include <cstdint>
#include <string_view>
#include <variant>
#include <vector>

#include "vrrp/core/advert.hpp"

namespace vipkit::vrrp {

using TimePoint = std::chrono::steady_clock::time_point;
using std::chrono::milliseconds;

enum class State { initialize, backup, master };
std::string_view to_token(State state);

inline constexpr std::uint8_t priority_owner = 255;   // owns the addresses: master at once
inline constexpr std::uint8_t priority_resign = 0;    // "I am leaving": backups take over at skew time

struct MachineConfig {
  Version version = Version::v3;
  std::uint8_t priority = 100;
  milliseconds advert_interval{1000};  // Advertisement_Interval
  bool preempt = true;                 // Preempt_Mode
  milliseconds preempt_delay{0};       // keepalived's preempt_delay: no preemption this soon after start
  std::uint32_t primary_ip_be = 0;     // our address on the link: the tie-breaker
};

// Actions, executed in order by the driver.
struct SendAdvert { std::uint8_t priority; };
struct AddVips {};
struct RemoveVips {};
struct SendGarp {};
struct ArmTimer { TimePoint at; };    // replaces any earlier timer
struct CancelTimer {};
struct StateChange { State from; State to; std::string_view reason; };
using Action = std::variant<SendAdvert, AddVips, RemoveVips, SendGarp, ArmTimer, CancelTimer, StateChange>;
using Actions = std::vector<Action>;

// What the codec and acceptance checks let through.
struct ReceivedAdvert {
  std::uint8_t priority;
  milliseconds max_advert_interval;
  std::uint32_t src_be;
};

class StateMachine {
 public:
  explicit StateMachine(MachineConfig config) : config_(config), master_advert_interval_(config.advert_interval) {}

  Actions startup(TimePoint now);
  Actions shutdown(TimePoint now);
  Actions advert_received(const ReceivedAdvert& advert, TimePoint now);
  // A master that received this advert would become backup (RFC 5798
  // §6.4.3: a higher priority, or the same one from a higher address).
  bool yields_to(const ReceivedAdvert& advert) const;
  Actions on_timer(TimePoint now);
  // Health changed our priority (never to 255). A master advertises the new
  // priority at once, so a better backup can preempt without waiting.
  Actions priority_changed(std::uint8_t priority, TimePoint now);
  // An operator asks this backup to be master now (vipctl promote): it
  // becomes master at once and advertises its current priority; a master
  // with a lower priority backs off on that advert (RFC 5798 §6.4.3). The
  // caller raises the priority first so the old master does not win back.
  Actions take_over(TimePoint now);
  // An operator asks this master to step down (vipctl demote): priority 0 so
  // the backups take over after Skew_Time, as on shutdown, but it stays in
  // the virtual router as a backup. The caller lowers the priority first,
  // or a preempting backup with the highest priority would win it back.
  Actions resign(TimePoint now);

  State state() const { return state_; }
  std::uint8_t priority() const { return config_.priority; }
  // RFC 5798 §6.1 derived values, for logs and tests.
  milliseconds skew_time() const;
  milliseconds master_down_interval() const;

 private:
  Actions become_master(std::string_view reason, TimePoint now);
  Actions become_backup(std::string_view reason, TimePoint now, bool was_master);
  void arm(Actions& out, TimePoint at);

  MachineConfig config_;
  State state_ = State::initialize;
  milliseconds master_advert_interval_;  // learned from the master's adverts (v3)
  TimePoint deadline_{};                 // advert timer (master) or master-down timer (backup)
  TimePoint started_{};
  bool master_resigned_ = false;         // the master's last word was priority 0
};

}  // namespace vipkit::vrrp
