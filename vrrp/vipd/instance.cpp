#include "vrrp/vipd/instance.hpp"

#include <signal.h>
#include <sys/epoll.h>

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include "base/result.hpp"
#include "vrrp/core/intake.hpp"
#include "vrrp/core/state_machine.hpp"
#include "vrrp/sys/control_server.hpp"
#include "vrrp/sys/metrics_server.hpp"
#include "vrrp/sys/vrrp_socket.hpp"
#include "vrrp/vipd/control_commands.hpp"
#include "vrrp/vipd/daemon_loop.hpp"
#include "vrrp/vipd/ip_text.hpp"
#include "vrrp/vipd/metrics_text.hpp"
#include "vrrp/vipd/preference.hpp"
#include "vrrp/vipd/redis_worker.hpp"
#include "vrrp/vipd/second_master.hpp"
#include "vrrp/vipd/service_notifier.hpp"
#include "vrrp/vipd/takeover_policy.hpp"
#include "vrrp/vipd/vip_holder.hpp"
#include "vrrp/vipd/vip_policy.hpp"

namespace vipkit::vipd {

namespace {

namespace sys = vrrp::sys;
using Clock = std::chrono::steady_clock;
using common::kv_value;
using vrrp::State;

constexpr std::chrono::seconds control_patience{2};

class Driver : private ControlTarget {
 public:
  Driver(const VipdConfig& config, common::Logger log)
      : config_(config),
        log_(std::move(log)),
        preference_file_(config.redis.prefer_file, common::PreferenceFile::Writes::deferred),
        commands_(config, log_, *this),
        health_(config.rise, config.fall) {}

  int run();

 private:
  // Setup: Done, or the error text when it fails.
  Result<Done, std::string> open_all();
  Result<Done, std::string> watch_all();
  // Events
  void on_packets();
  void on_vrrp_timer();
  void on_signal();
  void on_worker();
  void on_health(const HealthReport& report);
  void on_applied(const ApplyReport& report);
  // Actions of the state machine
  void execute(const vrrp::Actions& actions);
  void send_advert(std::uint8_t priority);
  void on_state_change(const vrrp::StateChange& change);
  // The VIPs: facts for vip_policy, and what it decided done.
  VipFacts vip_facts(VipEvent event) const;
  void act_on(const VipDecision& decision);
  void cancel_handover();
  // What the control commands see and do (control_commands.hpp)
  vrrp::State vrrp_state() const override { return machine_->state(); }
  std::string state_token() const override { return state_token(machine_->state()); }
  std::string health_reason() const override { return health_.reason(); }
  InstanceStatus status() override;
  void set_preference(int preference) override;  // adopted now, persisted by the worker
  void take_over(vrrp::TimePoint now) override;
  void resign(vrrp::TimePoint now) override;
  // Helpers
  void adopt_preference(int preference);  // the priority follows it
  std::uint8_t effective() const { return effective_priority(config_.priority, preference_, config_.prefer_weight); }
  ha::VrrpState vrrp_state_for_redis() const;
  std::string state_token(State state) const;
  void count_rejection(vrrp::Rejection why, std::uint32_t src_be);
  bool hold_against(const vrrp::ReceivedAdvert& advert);
  void take_advert(const vrrp::ReceivedAdvert& advert);
  void on_master_resigned();
  void take_over_after_resign(const char* why);
  void publish_metrics();

  const VipdConfig& config_;
  common::Logger log_;
  // The one writer of the prefer file in this process: the control socket
  // (here) and the worker's marker-follower both go through it.
  common::PreferenceFile preference_file_;
  ControlCommands commands_;
  std::optional<DaemonLoop> daemon_;  // loop, signals, the worker's eventfd, systemd
  std::optional<sys::Timer> vrrp_timer_;
  std::optional<sys::Timer> handover_timer_;
  std::optional<sys::VrrpSocket> socket_;
  std::optional<VipHolder> vips_;
  std::optional<vrrp::StateMachine> machine_;
  std::unique_ptr<sys::ControlServer> control_;
  std::unique_ptr<sys::MetricsServer> metrics_;  // null unless metrics-listen
  std::unique_ptr<RedisWorker> worker_;

  ha::HealthTracker health_;
  std::optional<ha::NodeState> last_local_;
  std::optional<ha::NodeState> last_peer_;
  Counters counters_;
  std::optional<LastChange> last_change_;
  int preference_ = 0;
  std::uint64_t generation_ = 0;  // bumped at each state change: older apply reports are stale
  bool want_vips_ = false;        // master: the VIPs go on once Redis is master
  bool withheld_logged_ = false;
  bool took_over_ = false;     // this master state is a takeover from a live master (takeover_policy.hpp)
  bool muted_logged_ = false;  // an advert held back until the VIPs are on (takeover_policy.hpp), logged once per state
  // The master resigned and the worker was asked for a check: take over if
  // it finds the local Redis master (takeover_policy.hpp).
  std::optional<Clock::time_point> resign_heard_;
  bool send_failing_ = false;
  bool stopping_ = false;
  Handover handover_;  // after a planned resign (vip_policy.hpp: make before break)
  // Another master heard while we are master (second_master.hpp).
  std::optional<SecondMaster> second_master_;
  Clock::time_point second_master_last_{};
  std::uint32_t master_ip_be_ = 0;
};

Result<Done, std::string> Driver::open_all() {
  // Each adapter in turn, stopping at the first that fails. Signals are
  // blocked before any thread starts, so the worker inherits the mask and
  // they reach only the signalfd.
  auto daemon = open_daemon_loop(log_, config_.redis.instance);
  if (!daemon) return daemon.error();
  daemon_.emplace(std::move(daemon).value());
  for (auto* timer : {&vrrp_timer_, &handover_timer_}) {
    auto made = sys::Timer::create();
    if (!made) return "timerfd: " + made.error().message;
    timer->emplace(std::move(made).value());
  }
  auto socket = sys::VrrpSocket::open({config_.interface, config_.unicast_peers_be});
  if (!socket) return "VRRP socket: " + socket.error().message;
  socket_.emplace(std::move(socket).value());
  auto vips = VipHolder::open(config_, log_);
  if (!vips) return "VIP adapters: " + vips.error().message;
  vips_.emplace(std::move(vips).value());

  auto preference = preference_file_.read();
  if (preference) {
    preference_ = preference.value();
  } else {
    log_->warn("prefer-file instance={} error={}", config_.redis.instance, kv_value(preference.error().message));
  }
  vrrp::MachineConfig machine;
  machine.version = config_.identity.version;
  machine.priority = effective();
  machine.advert_interval = config_.identity.advert_interval;
  machine.preempt = config_.preempt;
  machine.preempt_delay = config_.preempt_delay;
  machine.primary_ip_be = socket_->primary_address_be();
  machine_.emplace(machine);

  // Before the worker exists: ControlServer::open changes the umask.
  // Whatever one request makes throw is that request's error, never the end
  // of the process: the speaker goes on advertising.
  auto handler = guarded_handler(log_, config_.redis.instance,
                                 [this](std::string_view request) { return commands_.answer(request); });
  auto control = sys::ControlServer::open(config_.control_socket, daemon_->loop, handler);
  if (!control) return "control socket: " + control.error().message;
  control_ = std::move(control).value();
  if (!config_.metrics_listen.empty()) {
    auto metrics = sys::MetricsServer::start(config_.metrics_listen);
    if (!metrics) return metrics.error().message;
    metrics_ = std::move(metrics).value();
  }
  worker_ = std::make_unique<RedisWorker>(config_, log_, daemon_->wakeup, preference_file_);
  return Done{};
}

Result<Done, std::string> Driver::watch_all() {
  const Watch watches[] = {
      {socket_->fd(), [this](std::uint32_t) { on_packets(); }},
      {vrrp_timer_->fd(), [this](std::uint32_t) { on_vrrp_timer(); }},
      {vips_->garp_timer_fd(), [this](std::uint32_t) { vips_->on_garp_timer(Clock::now()); }},
      {vips_->address_fd(), [this](std::uint32_t) { vips_->on_address_events(Clock::now()); }},
      {daemon_->signals.fd(), [this](std::uint32_t) { on_signal(); }},
      {handover_timer_->fd(),
       [this](std::uint32_t) {
         handover_timer_->acknowledge();
         act_on(decide_vips(vip_facts(VipEvent::handover_timer)));
       }},
      {daemon_->wakeup.fd(), [this](std::uint32_t) { on_worker(); }},
  };
  auto every_second = [this](sys::TimePoint now) {
    control_->expire(now, control_patience);
    publish_metrics();
  };
  if (auto watched = watch_inputs(*daemon_, watches, every_second); !watched) return watched;
  return Done{};
}

int Driver::run() {
  auto started = open_all();
  if (started) started = watch_all();
  if (!started) {
    log_->error("start-failed instance={} error={}", config_.redis.instance, kv_value(started.error()));
    return 1;
  }
  log_->info("start instance={} interface={} vrid={} version={} priority={} effective={} preference={} "
             "advert_int_ms={} source={} mode={} control={}",
             config_.redis.instance, config_.interface, config_.identity.vrid,
             static_cast<int>(config_.identity.version), config_.priority, effective(), preference_,
             config_.identity.advert_interval.count(), ip_text(socket_->primary_address_be()),
             config_.unicast_peers_be.empty() ? "multicast" : "unicast", config_.control_socket);
  // A vipd killed with -9 left its VIPs: nobody may reach this node through
  // them before it has won an election again.
  vips_->remove_stale();
  publish_metrics();  // a scrape never gets an empty page
  if (auto worker_started = worker_->start(); !worker_started) {
    log_->error("start-failed instance={} error={}", config_.redis.instance, kv_value(worker_started.error().message));
    return 1;
  }
  // Not healthy until proven (rise): FAULT, which the worker applies too, so
  // a node that came back empty is re-pointed even before it is healthy.
  worker_->apply(ha::VrrpState::fault, generation_, effective());
  // Started: the stale VIP is gone and every descriptor is watched. The
  // watchdog pings come from this loop from now on.
  daemon_->systemd.ready(Clock::now());
  return run_daemon_loop(*daemon_, log_, config_.redis.instance, *vips_, [this] { worker_.reset(); });
}

void Driver::count_rejection(vrrp::Rejection why, std::uint32_t src_be) {
  const std::string token(vrrp::to_token(why));
  ++counters_.rejected[token];
  log_->debug("rejected instance={} reason={} src={}", config_.redis.instance, token, ip_text(src_be));
}

void Driver::on_packets() {
  std::array<std::uint8_t, 2048> buffer{};
  for (int i = 0; i < 64; ++i) {  // bounded: timers and signals get their turn
    auto got = socket_->receive(buffer);
    if (!got) {
      log_->warn("receive-failed instance={} error={}", config_.redis.instance, kv_value(got.error().message));
      return;
    }
    const std::size_t size = got.value();
    if (size == 0) return;
    const vrrp::Intake in =
        vrrp::take_in(std::span(buffer).first(size), socket_->primary_address_be(), config_.identity);
    if (in.kind == vrrp::Intake::Kind::own) continue;  // our own, looped back
    if (in.kind == vrrp::Intake::Kind::rejected) {
      count_rejection(in.rejection, in.src_be);
      continue;
    }
    const vrrp::Advert& advert = in.advert;
    ++counters_.adverts_rx;
    if (advert.priority == vrrp::priority_resign) ++counters_.priority_zero_rx;
    auto heard = vip_facts(VipEvent::advert_heard);
    heard.advert_resigns = advert.priority == vrrp::priority_resign;
    act_on(decide_vips(heard));
    const vrrp::ReceivedAdvert received{advert.priority, advert.max_advert_interval, in.src_be};
    if (hold_against(received)) continue;
    take_advert(received);
    if (advert.priority == vrrp::priority_resign) on_master_resigned();
  }
}

void Driver::on_master_resigned() {
  const bool local_master = last_local_ && last_local_->is_master();
  switch (on_master_resign(machine_->state(), local_master)) {
    case ResignResponse::skew: return;
    case ResignResponse::take_over_now: return take_over_after_resign("local-redis-master");
    case ResignResponse::check_then:
      resign_heard_ = Clock::now();
      worker_->check_now();
      return;
  }
}

void Driver::take_over_after_resign(const char* why) {
  resign_heard_.reset();
  log_->info("master-resigned instance={} action=take-over-now reason={}", config_.redis.instance, why);
  take_over(Clock::now());
}

void Driver::take_advert(const vrrp::ReceivedAdvert& advert) {
  execute(machine_->advert_received(advert, Clock::now()));
  if (machine_->state() == State::backup && advert.priority != vrrp::priority_resign) master_ip_be_ = advert.src_be;
}

// A second master: the data decides, not the priority (second_master.hpp).
bool Driver::hold_against(const vrrp::ReceivedAdvert& advert) {
  if (machine_->state() != State::master || advert.priority == vrrp::priority_resign) return false;
  const auto now = Clock::now();
  const auto bound = machine_->master_down_interval();
  if (second_master_ && now - second_master_last_ > bound) second_master_.reset();  // an old episode
  second_master_last_ = now;
  if (!second_master_) {
    second_master_ = SecondMaster{now, false, false, std::nullopt, false, false};
    log_->info("second-master instance={} src={} priority={} effective={} action=check-now", config_.redis.instance,
               ip_text(advert.src_be), static_cast<int>(advert.priority), machine_->priority());
    worker_->check_now();
  }
  if (!machine_->yields_to(advert)) {
    // We stay master; our VIPs are announced again (SecondMaster::reclaim_due).
    if (!second_master_->verdict_seen) {
      second_master_->reclaim_due = true;
    } else if (second_master_->local_master) {
      vips_->reclaim(now);
    }
    return false;
  }
  if (!hold_against_second_master(*second_master_, now, bound)) return false;
  second_master_->held = advert;
  ++counters_.adverts_held;
  return true;
}

void Driver::on_vrrp_timer() {
  vrrp_timer_->acknowledge();
  const auto now = Clock::now();
  execute(machine_->on_timer(now));
  if (machine_->state() == State::master) vips_->retry_restore(now);
}

void Driver::on_signal() {
  while (auto signal = daemon_->signals.take()) {
    log_->info("signal instance={} signal={}", config_.redis.instance, ::strsignal(*signal));
    stopping_ = true;
    daemon_->systemd.stopping();
    // RFC 5798 §6.4.3: priority 0 so a backup takes over after Skew_Time.
    execute(machine_->shutdown(Clock::now()));
    vips_->remove("stop");
    daemon_->loop.stop();
  }
}

void Driver::on_worker() {
  daemon_->wakeup.drain();
  for (const auto& report : worker_->take_reports()) {
    const auto* h = std::get_if<HealthReport>(&report);
    const auto* a = std::get_if<ApplyReport>(&report);
    // The file's latest value, not the report's: a promote/demote written
    // since the worker followed the marker is newer.
    const auto& followed = h ? h->preference : a->preference;
    if (followed && !stopping_) adopt_preference(preference_file_.last());
    if (h) on_health(*h);
    if (a) on_applied(*a);
  }
}

void Driver::on_health(const HealthReport& report) {
  counters_.health_checks.observe(Clock::now() - report.started);
  last_local_ = report.local;
  // A verdict counts when its check began after the other master was heard.
  // While it says keep, every later check is a verdict too: the peer's own
  // takeover can make our Redis its replica a moment later (the chaos soak
  // saw the VIP on both hosts for 0.3 s, until the hold's bound, that way).
  if (second_master_ && report.started >= second_master_->since &&
      (!second_master_->verdict_seen || second_master_->keep)) {
    const bool first = !second_master_->verdict_seen;
    const bool keep =
        keeps_role_against_second_master(report.verdict.healthy, report.verdict.reason, report.local, report.peer);
    second_master_->verdict_seen = true;
    if (first || keep != second_master_->keep) {
      log_->info("second-master-verdict instance={} healthy={} reason={} keep={}", config_.redis.instance,
                 report.verdict.healthy, report.verdict.reason, keep);
    }
    second_master_->keep = keep;
    second_master_->local_master = report.verdict.healthy && report.local.is_master();
    if (std::exchange(second_master_->reclaim_due, false) && second_master_->local_master &&
        machine_->state() == State::master) {
      vips_->reclaim(Clock::now());
    }
    // Yield now on the advert held for this verdict (SecondMaster::held),
    // or leave the role outright when our Redis follows the other master.
    if (!keep && second_master_->held && !stopping_) {
      take_advert(*second_master_->held);
    } else if (resigns_to_second_master(keep, report.local, report.peer) && !stopping_ &&
               machine_->state() == State::master) {
      log_->info("second-master-resign instance={} reason=local-follows-peer", config_.redis.instance);
      // The role is the other side's now: a preference kept from an older
      // promote here would make us preempt it straight back once backup, as
      // following the switchover marker would have lowered it — but vipctl
      // may clear the marker before our check sees it.
      if (const int neutral = std::min(preference_file_.last(), common::preference_neutral); neutral != preference_) {
        log_->info("preference instance={} from={} to={} reason=resigned-to-second-master", config_.redis.instance,
                   preference_, neutral);
        set_preference(neutral);
      }
      execute(machine_->resign(Clock::now()));
    }
  }
  if (resign_heard_ && report.started >= *resign_heard_) {
    const bool fresh = Clock::now() - *resign_heard_ < machine_->master_down_interval();
    const bool take = fresh && machine_->state() == State::backup && report.local.is_master() && !stopping_;
    resign_heard_.reset();
    if (take) take_over_after_resign("checked-local-redis-master");
  }
  if (report.local.reachable) last_peer_ = report.peer;
  const bool flipped = report.dead ? health_.dead("redis-died") : health_.record(report.verdict);
  if (!flipped) return;
  log_->info("health instance={} healthy={} reason={} local={}", config_.redis.instance, health_.healthy(),
             health_.reason(), kv_value(report.local.summary()));
  if (stopping_) return;
  const auto now = Clock::now();
  // Unhealthy: leave the election like keepalived's FAULT (priority 0 if
  // master, so the peer takes over after its skew time, not 3 intervals).
  execute(health_.healthy() ? machine_->startup(now) : machine_->shutdown(now));
}

void Driver::on_applied(const ApplyReport& report) {
  if (report.action) ++counters_.actions[*report.action];
  last_local_ = report.local;
  auto applied = vip_facts(VipEvent::redis_applied);
  applied.report_current = report.generation == generation_;
  applied.applied_master = report.state == ha::VrrpState::master;
  applied.local_redis_master = report.local_is_master;
  act_on(decide_vips(applied));
}

VipFacts Driver::vip_facts(VipEvent event) const {
  VipFacts facts;
  facts.event = event;
  facts.vrrp_state = machine_->state();
  facts.stopping = stopping_;
  facts.vips_held = vips_->held();
  facts.vips_wanted = want_vips_;
  facts.handover = handover_;
  return facts;
}

void Driver::act_on(const VipDecision& decision) {
  const auto now = Clock::now();
  switch (decision.action) {
    case VipAction::keep: return;
    case VipAction::add:
      vips_->add(now);
      // The advert held back until now hands over (takeover_policy.hpp).
      if (machine_->state() == State::master && vips_->held()) send_advert(machine_->priority());
      return;
    case VipAction::withhold:
      // Once per state: the worker re-applies, and reports, every reconcile interval.
      if (withheld_logged_) return;
      log_->warn("vip-withheld instance={} reason={} local={}", config_.redis.instance, decision.reason,
                 kv_value(last_local_.value_or(ha::NodeState{}).summary()));
      withheld_logged_ = true;
      return;
    case VipAction::remove:
      cancel_handover();
      vips_->remove(std::string(decision.reason));
      return;
    case VipAction::hold:
      vips_->quiet();
      handover_timer_->arm(now + machine_->master_down_interval());
      log_->info("handover-hold instance={} until=new-master-heard bound_ms={}", config_.redis.instance,
                 machine_->master_down_interval().count());
      return;
    case VipAction::overlap:
      handover_.new_master_heard = true;
      handover_timer_->arm(now + config_.identity.advert_interval);
      return;
    case VipAction::end_handover: cancel_handover(); return;
  }
}

void Driver::execute(const vrrp::Actions& actions) {
  for (const auto& action : actions) {
    if (const auto* a = std::get_if<vrrp::SendAdvert>(&action)) {
      send_advert(a->priority);
    } else if (std::holds_alternative<vrrp::AddVips>(action)) {
      want_vips_ = true;  // added when the worker has seen Redis as master (on_applied)
    } else if (std::holds_alternative<vrrp::RemoveVips>(action)) {
      want_vips_ = false;
      act_on(decide_vips(vip_facts(VipEvent::vrrp_released)));
    } else if (std::holds_alternative<vrrp::SendGarp>(action)) {
      // Sent with the VIPs, once they are added.
    } else if (const auto* t = std::get_if<vrrp::ArmTimer>(&action)) {
      vrrp_timer_->arm(t->at);
    } else if (std::holds_alternative<vrrp::CancelTimer>(action)) {
      vrrp_timer_->disarm();
    } else if (const auto* c = std::get_if<vrrp::StateChange>(&action)) {
      on_state_change(*c);
    }
  }
}

void Driver::send_advert(std::uint8_t priority) {
  if (advert_muted(machine_->state(), priority, vips_->held(), took_over_)) {
    ++counters_.adverts_muted;
    if (!muted_logged_) {
      log_->info("advert-muted instance={} until=vips-on", config_.redis.instance);
      muted_logged_ = true;
    }
    return;
  }
  vrrp::Advert advert;
  advert.version = config_.identity.version;
  advert.vrid = config_.identity.vrid;
  advert.priority = priority;
  advert.max_advert_interval = config_.identity.advert_interval;
  advert.auth_type = config_.identity.auth_type;
  advert.auth_data = config_.identity.auth_data;
  for (const auto& vip : config_.vips) advert.addresses.push_back(vip.address_be);
  const auto message = vrrp::encode(advert, socket_->primary_address_be(), socket_->destination_be());
  if (auto sent = socket_->send(message); !sent) {
    if (!send_failing_) {
      log_->error("advert-failed instance={} error={}", config_.redis.instance, kv_value(sent.error().message));
    }
    send_failing_ = true;
    return;
  }
  send_failing_ = false;
  ++counters_.adverts_tx;
  if (priority == vrrp::priority_resign) ++counters_.priority_zero_tx;
}

ha::VrrpState Driver::vrrp_state_for_redis() const {
  switch (machine_->state()) {
    case State::master: return ha::VrrpState::master;
    case State::backup: return ha::VrrpState::backup;
    case State::initialize: return stopping_ ? ha::VrrpState::stop : ha::VrrpState::fault;
  }
  return ha::VrrpState::fault;
}

std::string Driver::state_token(State state) const {
  if (state != State::initialize) return std::string(vrrp::to_token(state));
  return stopping_ ? "initialize" : "fault";
}

void Driver::on_state_change(const vrrp::StateChange& change) {
  ++generation_;
  second_master_.reset();
  resign_heard_.reset();
  withheld_logged_ = false;
  // Not on becoming master: a takeover's first advert, muted and logged,
  // goes out just before this change (become_master sends it ahead).
  if (change.to != State::master) muted_logged_ = false;
  // Set by take_over() before its first advert went out (become_master
  // sends it ahead of this change); any other change ends it.
  if (change.to != State::master || change.reason != std::string_view("take-over")) took_over_ = false;
  if (change.to == State::master) {
    master_ip_be_ = socket_->primary_address_be();
    act_on(decide_vips(vip_facts(VipEvent::master_again)));  // keeps the VIPs: they are ours again
  }
  const std::string reason = change.to == State::initialize && !stopping_ ? health_.reason() : std::string(change.reason);
  if (change.to == State::master) ++counters_.became_master;
  if (change.from == State::master) ++counters_.left_master;
  last_change_ = LastChange{state_token(change.to), reason,
                            std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count()};
  const ha::NodeState local = last_local_.value_or(ha::NodeState{});
  log_->info("state-change instance={} from={} to={} reason={} priority={} effective={} master_ip={} "
             "local_role={} replid={} offset={}",
             config_.redis.instance, state_token(change.from), state_token(change.to), kv_value(reason),
             config_.priority, machine_->priority(), master_ip_be_ ? ip_text(master_ip_be_) : "none",
             redis::to_token(local.role), local.replid.empty() ? "unknown" : local.replid, local.offset);
  if (!stopping_) worker_->apply(vrrp_state_for_redis(), generation_, machine_->priority());
}

// The page scrapes get until the next publish, every housekeeping second:
// a figure is at most 1 s old. Not at a state change: rendering asks the
// kernel for the addresses (vip_present), and that path moves the VIP.
void Driver::publish_metrics() {
  if (!metrics_) return;
  StatusReport report = status_report(config_, status(), nullptr);
  report.last_change = last_change_;
  metrics_->publish(metrics_text(report));
}

void Driver::cancel_handover() {
  handover_ = {};
  handover_timer_->disarm();
}

void Driver::set_preference(int preference) {
  // Counts now; the Redis thread writes the file (PreferenceFile::request).
  preference_file_.request(preference);
  worker_->flush_preference_soon();
  adopt_preference(preference);
}

void Driver::adopt_preference(int preference) {
  preference_ = preference;
  execute(machine_->priority_changed(effective(), Clock::now()));
}

void Driver::take_over(vrrp::TimePoint now) {
  took_over_ = machine_->state() == State::backup;
  execute(machine_->take_over(now));
}

void Driver::resign(vrrp::TimePoint now) {
  // Only a resign from master has VIPs to hand over; a repeated resign
  // during the handover must not cancel it, or the VIPs would stay here
  // with nobody left to take them off.
  handover_.pending = handover_.pending || machine_->state() == State::master;
  execute(machine_->resign(now));
}

InstanceStatus Driver::status() {
  InstanceStatus s;
  s.state = state_token(machine_->state());
  s.effective_priority = machine_->priority();
  s.preference = preference_;
  s.vip_present = vips_->all_present();
  s.master_ip_be = master_ip_be_;
  s.healthy = health_.healthy();
  s.health_reason = health_.reason();
  s.local = last_local_;
  s.peer = last_peer_;
  s.counters = counters_;
  s.counters.garps_sent = vips_->garps_sent();
  return s;
}

}  // namespace

int run_instance(const VipdConfig& config, const common::Logger& log) {
  Driver driver(config, log);
  return driver.run();
}

}  // namespace vipkit::vipd
