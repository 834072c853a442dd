#include "vip-notify/health_watch.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "common/flag_file.hpp"
#include "common/health_probe.hpp"
#include "common/local_address.hpp"

namespace vipkit::notify {

namespace {

using Clock = std::chrono::steady_clock;

// The longest the thread sleeps: the heartbeat's period when no check is due.
constexpr auto max_sleep = std::chrono::milliseconds(1000);

void write_flag(const std::string& path, bool raised, const std::string& instance, const common::Logger& log) {
  auto written = common::set_flag_file(path, raised);
  if (!written) {
    log->error("track-file-error instance={} file={} error={}", instance, path, common::kv_value(written.error().message));
  }
}

// What a watch depends on: a change of any of it starts the checks afresh.
std::string watch_key(const common::InstanceConfig& c) {
  return fmt::format("{} {} {} {} {} {} {}", c.track->dir, c.track->interval.count(), c.track->rise, c.track->fall,
                     c.connections.local.endpoint.to_string(),
                     c.connections.peer ? c.connections.peer->endpoint.to_string() : "-",
                     c.connections.vip.value_or("-"));
}

}  // namespace

TrackFiles track_files(const std::string& dir, const std::string& instance) {
  return {dir + "/" + instance + ".alive", dir + "/" + instance + ".eligible"};
}

void raise_track_files(const std::vector<common::InstanceConfig>& instances, const common::Logger& log) {
  for (const auto& c : instances) {
    if (!c.track) continue;
    const TrackFiles files = track_files(c.track->dir, c.instance);
    write_flag(files.alive, true, c.instance, log);
    write_flag(files.eligible, true, c.instance, log);
  }
}

struct HealthWatch::Checked {
  explicit Checked(common::InstanceConfig c)
      : config(std::move(c)),
        probe(config),
        alive(config.track->rise, config.track->fall),
        eligible(config.track->rise, config.track->fall),
        files(track_files(config.track->dir, config.instance)) {}
  const common::InstanceConfig config;
  common::HealthProbe probe;  // refers to `config`: Checked is never moved (held by shared_ptr)
  ha::HealthTracker alive;
  ha::HealthTracker eligible;
  const TrackFiles files;
  Clock::time_point next{};
  // Until a tracker's first flip (rise healthy checks), a failing check
  // raises its file at once and a healthy one leaves it alone: a reader
  // that starts (keepalived reloading) must not lower nor raise a file that
  // is right, and keepalived's `init_file 1` covers a file not there yet.
  bool alive_settled = false;
  bool eligible_settled = false;
};

HealthWatch::HealthWatch(common::Logger log, vrrp::sys::Wakeup changed, int heartbeat_fd, MetricsRegistry* metrics)
    : log_(std::move(log)),
      heartbeat_fd_(heartbeat_fd),
      metrics_(metrics),
      changed_(std::move(changed)),
      thread_([this] { run(); }) {}

HealthWatch::~HealthWatch() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify();
  thread_.join();
}

void HealthWatch::watch(const common::InstanceConfig& config) {
  if (!config.track) return unwatch(config.instance);
  {
    std::lock_guard lock(mutex_);
    auto it = watched_.find(config.instance);
    // Same files, timers and nodes: keep the counts where they are.
    if (it != watched_.end() && watch_key(it->second->config) == watch_key(config)) return;
    watched_[config.instance] = std::make_shared<Checked>(config);
  }
  std::error_code ec;  // a missing directory is reported by the first write
  std::filesystem::create_directories(config.track->dir, ec);
  log_->info("track-watch instance={} dir={} interval_ms={} rise={} fall={}", config.instance, config.track->dir,
             config.track->interval.count(), config.track->rise, config.track->fall);
  changed_.notify();
}

void HealthWatch::unwatch(const std::string& instance) {
  {
    std::lock_guard lock(mutex_);
    if (watched_.erase(instance) == 0) return;
  }
  if (metrics_) {
    metrics_->change([&instance](NotifyMetrics& m) {
      InstanceMetrics& i = m.instances[instance];
      i.alive.reset();
      i.eligible.reset();
      i.local.reset();
      i.peer.reset();
    });
  }
  changed_.notify();
}

void HealthWatch::check(Checked& c, bool after_close) {
  const auto started = Clock::now();
  const ha::NodeState local = c.probe.observe_local();
  std::optional<ha::NodeState> peer;
  const ha::HealthVerdict alive = ha::alive_verdict(local);
  ha::HealthVerdict eligible = alive;  // not alive: not eligible either, for the same reason
  if (alive.healthy) {
    const common::Observation seen = c.probe.observe_pair(local);
    if (c.config.connections.peer) peer = seen.peer;
    std::optional<bool> vip_local;
    if (c.config.connections.vip) {
      if (auto here = common::is_local_address(*c.config.connections.vip)) vip_local = here.value();
    }
    eligible = ha::health_verdict(seen.local, seen.peer, vip_local, seen.divergence);
  }
  // A closed connection that does not answer again: dead now, no `fall` count.
  const bool dead = after_close && !local.reachable;
  const bool alive_flipped = dead ? c.alive.dead(alive.reason) : c.alive.record(alive);
  const bool eligible_flipped = dead ? c.eligible.dead(alive.reason) : c.eligible.record(eligible);
  if (alive_flipped) {
    log_->info("track-check instance={} check=alive healthy={} reason={}", c.config.instance, c.alive.healthy(),
               common::kv_value(c.alive.reason()));
  }
  if (eligible_flipped) {
    log_->info("track-check instance={} check=eligible healthy={} reason={}", c.config.instance,
               c.eligible.healthy(), common::kv_value(c.eligible.reason()));
  }
  if (metrics_) {
    const auto took = Clock::now() - started;
    metrics_->change([&](NotifyMetrics& m) {
      InstanceMetrics& i = m.instances[c.config.instance];
      i.health_checks.observe(took);
      i.alive = c.alive.healthy();
      i.eligible = c.eligible.healthy();
      i.local = local;
      if (peer) i.peer = peer;  // observed only while the local Redis is alive: else the last one stays
    });
  }
  c.alive_settled = c.alive_settled || alive_flipped;
  c.eligible_settled = c.eligible_settled || eligible_flipped;
  // Every round, not only on a flip: the file is read back first and written
  // only when it differs, so anyone overwriting it is corrected within one check.
  if (c.alive_settled || !alive.healthy) write_flag(c.files.alive, !c.alive.healthy(), c.config.instance, log_);
  if (c.eligible_settled || !eligible.healthy) {
    write_flag(c.files.eligible, !c.eligible.healthy(), c.config.instance, log_);
  }
}

void HealthWatch::beat() {
  if (heartbeat_fd_ < 0) return;
  const char byte = 'h';
  (void)!::write(heartbeat_fd_, &byte, 1);  // a full pipe already says "alive"
}

void HealthWatch::run() {
  for (;;) {
    std::vector<std::shared_ptr<Checked>> all;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      for (const auto& [name, c] : watched_) all.push_back(c);
    }
    auto now = Clock::now();
    for (auto& c : all) {
      if (c->next > now) continue;
      check(*c, false);
      c->next = Clock::now() + c->config.track->interval;
      beat();  // after each instance: several slow ones in a round are not a stall
    }
    beat();
    now = Clock::now();
    auto wake = now + max_sleep;
    for (const auto& c : all) wake = std::min(wake, c->next);
    std::vector<pollfd> fds{{changed_.fd(), POLLIN, 0}};
    for (const auto& c : all) fds.push_back({c->probe.local_fd(), POLLIN, 0});
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(wake - now);
    if (::poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(0, wait.count()))) <= 0) continue;
    if (fds[0].revents != 0) changed_.drain();
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (fds[i + 1].revents == 0) continue;
      // Readable or hung up: the server closed our connection.
      all[i]->probe.drop_local();
      check(*all[i], true);
    }
  }
}

}  // namespace vipkit::notify
