#include "vrrp/core/state_machine.hpp"

namespace vipkit::vrrp {

namespace {
// Addresses compare as numbers (RFC 5798 §6.4.3: "the primary IPvX address
// of the sender is greater than the local primary IPvX address").
std::uint32_t host_order(std::uint32_t be) {
  const auto* b = reinterpret_cast<const std::uint8_t*>(&be);
  return static_cast<std::uint32_t>(b[0]) << 24 | static_cast<std::uint32_t>(b[1]) << 16 |
         static_cast<std::uint32_t>(b[2]) << 8 | b[3];
}
}  // namespace

std::string_view to_token(State state) {
  switch (state) {
    case State::initialize: return "initialize";
    case State::backup: return "backup";
    case State::master: return "master";
  }
  return "unknown";
}

// v3 (RFC 5798 §6.1): Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256
// v2 (RFC 3768 §6.1): Skew_Time = (256 - Priority) / 256 seconds
milliseconds StateMachine::skew_time() const {
  const auto weight = 256 - static_cast<int>(config_.priority);
  if (config_.version == Version::v2) return milliseconds(weight * 1000 / 256);
  return milliseconds(weight * master_advert_interval_.count() / 256);
}

// Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time (v2: with
// the configured Advertisement_Interval, which every router shares).
milliseconds StateMachine::master_down_interval() const {
  const milliseconds interval =
      config_.version == Version::v2 ? config_.advert_interval : master_advert_interval_;
  return 3 * interval + skew_time();
}

void StateMachine::arm(Actions& out, TimePoint at) {
  deadline_ = at;
  out.emplace_back(ArmTimer{at});
}

Actions StateMachine::become_master(std::string_view reason, TimePoint now) {
  Actions out;
  const State from = state_;
  state_ = State::master;
  out.emplace_back(SendAdvert{config_.priority});
  out.emplace_back(AddVips{});
  out.emplace_back(SendGarp{});
  arm(out, now + config_.advert_interval);
  out.emplace_back(StateChange{from, State::master, reason});
  return out;
}

Actions StateMachine::become_backup(std::string_view reason, TimePoint now, bool was_master) {
  Actions out;
  const State from = state_;
  state_ = State::backup;
  if (was_master) out.emplace_back(RemoveVips{});
  arm(out, now + master_down_interval());
  out.emplace_back(StateChange{from, State::backup, reason});
  return out;
}

Actions StateMachine::startup(TimePoint now) {
  if (state_ != State::initialize) return {};
  started_ = now;
  master_advert_interval_ = config_.advert_interval;
  if (config_.priority == priority_owner) return become_master("owner", now);
  return become_backup("startup", now, false);
}

Actions StateMachine::shutdown(TimePoint /*now*/) {
  Actions out;
  const State from = state_;
  if (from == State::initialize) return out;
  out.emplace_back(CancelTimer{});
  if (from == State::master) {
    // Priority 0 tells the backups to take over after Skew_Time instead of
    // the whole Master_Down_Interval (RFC 5798 §6.4.3).
    out.emplace_back(SendAdvert{priority_resign});
    out.emplace_back(RemoveVips{});
  }
  state_ = State::initialize;
  out.emplace_back(StateChange{from, State::initialize, "shutdown"});
  return out;
}

Actions StateMachine::on_timer(TimePoint now) {
  Actions out;
  if (state_ == State::initialize) return out;
  if (now < deadline_) {  // early or stale wake-up: keep the real deadline
    out.emplace_back(ArmTimer{deadline_});
    return out;
  }
  if (state_ == State::backup) return become_master(master_resigned_ ? "master-resigned" : "master-down", now);
  out.emplace_back(SendAdvert{config_.priority});
  arm(out, now + config_.advert_interval);
  return out;
}

Actions StateMachine::advert_received(const ReceivedAdvert& advert, TimePoint now) {
  Actions out;
  if (state_ == State::backup) {
    master_resigned_ = advert.priority == priority_resign;
    if (master_resigned_) {
      // The master is leaving: take over after Skew_Time only.
      arm(out, now + skew_time());
      return out;
    }
    const bool preempt_allowed = config_.preempt && now >= started_ + config_.preempt_delay;
    if (!preempt_allowed || advert.priority >= config_.priority) {
      if (config_.version == Version::v3) master_advert_interval_ = advert.max_advert_interval;
      arm(out, now + master_down_interval());
      return out;
    }
    return out;  // lower priority and we preempt: let the master-down timer run out
  }
  if (state_ == State::master) {
    if (yields_to(advert)) {
      if (config_.version == Version::v3) master_advert_interval_ = advert.max_advert_interval;
      out.emplace_back(CancelTimer{});
      Actions tail = become_backup(advert.priority > config_.priority ? "higher-priority" : "tie-higher-address",
                                   now, true);
      out.insert(out.end(), tail.begin(), tail.end());
      return out;
    }
    // A lower priority (or priority 0) advert while we are master: answer at
    // once so the other router sees a better master now, not at our next
    // interval (keepalived does the same).
    out.emplace_back(SendAdvert{config_.priority});
    arm(out, now + config_.advert_interval);
  }
  return out;
}

bool StateMachine::yields_to(const ReceivedAdvert& advert) const {
  if (state_ != State::master || advert.priority == priority_resign) return false;
  const bool wins_tie = advert.priority == config_.priority && host_order(advert.src_be) > host_order(config_.primary_ip_be);
  return advert.priority > config_.priority || wins_tie;
}

Actions StateMachine::take_over(TimePoint now) {
  if (state_ != State::backup) return {};
  return become_master("take-over", now);
}

Actions StateMachine::resign(TimePoint now) {
  if (state_ != State::master) return {};
  Actions out{SendAdvert{priority_resign}};
  Actions tail = become_backup("resign", now, true);
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}

Actions StateMachine::priority_changed(std::uint8_t priority, TimePoint now) {
  Actions out;
  if (priority == config_.priority || priority == priority_owner) return out;
  config_.priority = priority;
  if (state_ == State::master) {
    out.emplace_back(SendAdvert{config_.priority});
    arm(out, now + config_.advert_interval);
  }
  return out;
}

}  // namespace vipkit::vrrp
