#include "vrrp/vipd/sentinel_instance.hpp"

#include <string.h>

#include <chrono>
#include <memory>
#include <optional>

#include "base/result.hpp"
#include "common/json_fields.hpp"
#include "vrrp/sys/control_server.hpp"
#include "vrrp/sys/metrics_server.hpp"
#include "vrrp/vipd/control_protocol.hpp"
#include "vrrp/vipd/daemon_loop.hpp"
#include "vrrp/vipd/sentinel_follower.hpp"
#include "vrrp/vipd/sentinel_listener.hpp"
#include "vrrp/vipd/sentinel_status.hpp"
#include "vrrp/vipd/vip_holder.hpp"

namespace vipkit::vipd {

namespace {

namespace sys = vrrp::sys;
using Clock = std::chrono::steady_clock;
using common::kv_value;

constexpr std::chrono::seconds control_patience{2};

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class SentinelDriver {
 public:
  SentinelDriver(const VipdConfig& config, common::Logger log) : config_(config), log_(std::move(log)) {}
  int run();

 private:
  Result<Done, std::string> open_all();
  Result<Done, std::string> watch_all();
  void on_rounds();
  void execute(const SentinelRound& round);
  void log_round(const SentinelRound& round);
  void on_signal();
  void publish_metrics();
  std::string answer(std::string_view request);

  const VipdConfig& config_;
  common::Logger log_;
  std::optional<DaemonLoop> daemon_;  // loop, signals, the follower's eventfd, systemd
  std::optional<VipHolder> vips_;
  std::unique_ptr<sys::ControlServer> control_;
  std::unique_ptr<sys::MetricsServer> metrics_;  // null unless metrics-listen
  SentinelCounters counters_;
  std::unique_ptr<SentinelFollower> follower_;
  std::unique_ptr<SentinelListeners> listeners_;
  std::optional<SentinelRound> last_;
  bool adopt_ = false;       // the VIPs were on at start: the first decision says whether they stay
  bool first_round_ = true;
  bool ready_ = false;
  double last_change_unix_ = 0;
};

Result<Done, std::string> SentinelDriver::open_all() {
  auto daemon = open_daemon_loop(log_, config_.redis.instance);
  if (!daemon) return daemon.error();
  daemon_.emplace(std::move(daemon).value());
  auto vips = VipHolder::open(config_, log_);
  if (!vips) return "VIP adapters: " + vips.error().message;
  vips_.emplace(std::move(vips).value());
  auto handler =
      guarded_handler(log_, config_.redis.instance, [this](std::string_view request) { return answer(request); });
  auto control = sys::ControlServer::open(config_.control_socket, daemon_->loop, handler);
  if (!control) return "control socket: " + control.error().message;
  control_ = std::move(control).value();
  if (!config_.metrics_listen.empty()) {
    auto metrics = sys::MetricsServer::start(config_.metrics_listen);
    if (!metrics) return metrics.error().message;
    metrics_ = std::move(metrics).value();
  }
  follower_ = std::make_unique<SentinelFollower>(config_, log_, daemon_->wakeup);
  const auto& s = *config_.sentinel;
  listeners_ = std::make_unique<SentinelListeners>(
      SentinelListeners::Settings{s.sentinels, s.credentials, s.master_name, config_.redis.instance,
                                  config_.redis.connections.timeout},
      log_, [this](std::string_view why) { follower_->wake(why); });
  return Done{};
}

Result<Done, std::string> SentinelDriver::watch_all() {
  const Watch watches[] = {
      {vips_->garp_timer_fd(), [this](std::uint32_t) { vips_->on_garp_timer(Clock::now()); }},
      {vips_->address_fd(), [this](std::uint32_t) { vips_->on_address_events(Clock::now()); }},
      {daemon_->signals.fd(), [this](std::uint32_t) { on_signal(); }},
      {daemon_->wakeup.fd(), [this](std::uint32_t) { on_rounds(); }},
  };
  auto every_second = [this](sys::TimePoint now) {
    control_->expire(now, control_patience);
    vips_->retry_restore(now);
    publish_metrics();
  };
  if (auto watched = watch_inputs(*daemon_, watches, every_second); !watched) return watched;
  return Done{};
}

int SentinelDriver::run() {
  auto started = open_all();
  if (started) started = watch_all();
  if (!started) {
    log_->error("start-failed instance={} error={}", config_.redis.instance, kv_value(started.error()));
    return 1;
  }
  const auto& s = *config_.sentinel;
  std::string sentinels;
  for (const auto& e : s.sentinels) sentinels += (sentinels.empty() ? "" : ",") + e.to_string();
  log_->info("start instance={} leader=sentinel master_name={} sentinels={} majority={} on_quorum_loss={} "
             "fence={} interface={} reconcile_ms={} control={}",
             config_.redis.instance, s.master_name, sentinels,
             ha::sentinel_majority(static_cast<int>(s.sentinels.size())), ha::to_token(s.on_quorum_loss),
             config_.redis.policy.fence, config_.interface, config_.reconcile.count(), config_.control_socket);
  // A vipd killed with -9 left its VIPs on. Unlike VRRP, where a new
  // election must be won first, the Sentinels say at once whether this host
  // is still the master: keep them until the first round, and adopt them
  // without a flap if it is.
  adopt_ = vips_->all_present();
  publish_metrics();  // a scrape never gets an empty page
  if (auto go = follower_->start(adopt_); !go) {
    log_->error("start-failed instance={} error={}", config_.redis.instance, kv_value(go.error().message));
    return 1;
  }
  if (auto go = listeners_->start(); !go) {
    log_->error("start-failed instance={} error={}", config_.redis.instance, kv_value(go.error().message));
    return 1;
  }
  return run_daemon_loop(*daemon_, log_, config_.redis.instance, *vips_, [this] {
    listeners_.reset();  // before the follower they wake
    follower_.reset();
  });
}

void SentinelDriver::on_rounds() {
  daemon_->wakeup.drain();
  for (auto& round : follower_->take_rounds()) {
    log_round(round);
    execute(round);
    ++counters_.rounds[round.trigger];
    counters_.round_duration.observe(Clock::now() - round.started);
    if (!round.fence_error.empty()) ++counters_.fence_failures;
    last_ = std::move(round);
  }
  publish_metrics();
}

void SentinelDriver::publish_metrics() {
  if (!metrics_) return;
  counters_.garps_sent = vips_->garps_sent();
  metrics_->publish(
      sentinel_metrics_text(config_, last_, vips_->held(), vips_->all_present(), last_change_unix_, counters_));
}

void SentinelDriver::log_round(const SentinelRound& round) {
  const bool news = round_is_news(round, last_);
  const auto level = news ? spdlog::level::info : spdlog::level::debug;
  const auto took_ms = std::chrono::duration<double, std::milli>(Clock::now() - round.started).count();
  log_->log(level, "sentinel-decision instance={} trigger={} local={} {} took_ms={:.1f}", config_.redis.instance,
            kv_value(round.trigger), to_token(round.local_role), ha::to_text(round.decision), took_ms);
  if (!news) return;
  for (std::size_t i = 0; i < round.reports.size(); ++i) {
    log_->log(level, "sentinel-report instance={} sentinel={} answer={}", config_.redis.instance,
              config_.sentinel->sentinels[i].to_string(), kv_value(describe(round.reports[i])));
  }
  if (!round.fence_error.empty()) {
    log_->error("fence-failed instance={} action={} error={}", config_.redis.instance,
                ha::to_token(round.decision.fence), kv_value(round.fence_error));
  }
}

void SentinelDriver::execute(const SentinelRound& round) {
  const auto now = Clock::now();
  const bool hold = round.decision.vip == ha::VipAction::hold;
  if (first_round_) {
    first_round_ = false;
    if (hold && adopt_) {
      vips_->adopt(now);
      ++counters_.vip_added;
    } else if (!hold) {
      vips_->remove_stale();  // whatever a killed vipd left, all the VIPs or some
    }
    last_change_unix_ = unix_now();
  }
  if (hold && !vips_->held()) {
    vips_->add(now);
    ++counters_.vip_added;
    last_change_unix_ = unix_now();
  } else if (!hold && vips_->held()) {
    vips_->remove(std::string(round.decision.reason));
    ++counters_.vip_removed;
    last_change_unix_ = unix_now();
  }
  if (!ready_) {
    // Ready once the first decision is executed: a unit ordered after vipd
    // sees the VIPs where they belong.
    ready_ = true;
    daemon_->systemd.ready(now);
  }
}

void SentinelDriver::on_signal() {
  while (auto signal = daemon_->signals.take()) {
    log_->info("signal instance={} signal={}", config_.redis.instance, ::strsignal(*signal));
    daemon_->systemd.stopping();
    vips_->remove("stop");
    daemon_->loop.stop();
  }
}

std::string SentinelDriver::answer(std::string_view request) {
  const auto parsed = parse_request(request);
  if (!parsed) {
    log_->info("control instance={} cmd=invalid error={}", config_.redis.instance, kv_value(parsed.error()));
    return error_response(parsed.error());
  }
  log_->info("control instance={} cmd={} leader=sentinel", config_.redis.instance, to_token(parsed.value()));
  switch (parsed.value()) {
    case Command::status:
      return common::json_text(sentinel_status(config_, last_, vips_->held(), vips_->all_present(), last_change_unix_));
    case Command::promote:
    case Command::demote:
      return error_response("leader = sentinel: Sentinel elects the master; ask it (SENTINEL FAILOVER " +
                            config_.sentinel->master_name + ") and the VIP follows");
  }
  return error_response("unknown command");
}

}  // namespace

int run_sentinel_instance(const VipdConfig& config, const common::Logger& log) {
  return SentinelDriver(config, log).run();
}

}  // namespace vipkit::vipd
