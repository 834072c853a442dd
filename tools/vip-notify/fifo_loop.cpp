#include "vip-notify/fifo_loop.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "common/cli.hpp"
#include "common/exit_codes.hpp"
#include "common/outside_text.hpp"
#include "vip-notify/event.hpp"
#include "vip-notify/handler.hpp"
#include "vip-notify/health_watch.hpp"
#include "vip-notify/metrics_endpoint.hpp"
#include "vip-notify/notify_metrics.hpp"
#include "vip-notify/peer_watch.hpp"
#include "vip-notify/replica_guard_watch.hpp"
#include "vip-notify/resign.hpp"
#include "vip-notify/starter_watch.hpp"
#include "vip-notify/vip_release.hpp"
#include "vrrp/sys/event_loop.hpp"

namespace vipkit::notify {

namespace {

using Clock = std::chrono::steady_clock;

// kill -9 of keepalived's VRRP process: the kernel closes the FIFO before it
// re-parents us, so the two are seen a moment apart.
constexpr auto starter_grace = std::chrono::milliseconds(200);

struct Instance {
  ha::VrrpState state;
  std::optional<ha::Plan> last_plan;
};

// DIR/NAME.conf is read at every use so an edited file takes effect without a
// restart; a broken one is reported and the event skipped, never guessed.
std::optional<common::InstanceConfig> load_instance(const FifoConfig& config, const std::string& name,
                                            const common::Logger& log) {
  const std::string path = config.config_dir + "/" + name + ".conf";
  common::InstanceOptions options = config.defaults;
  CLI::App app{"instance config", "vip-notify"};
  common::add_instance_options(app, options);
  common::add_config_option(app);
  try {
    common::parse_config_file(app, path);
    return common::resolve_instance(options, name);
  } catch (const common::ConfigError& e) {
    log->error("config-error instance={} error={}", name, common::kv_value(e.what()));
    return std::nullopt;
  }
}

// The instance files in DIR: NAME.conf (vipd's NAME.vipd.conf are not ours).
std::vector<std::string> configured_instances(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string file = entry.path().filename().string();
    if (entry.path().extension() != ".conf" || file.ends_with(".vipd.conf")) continue;
    names.push_back(entry.path().stem().string());
  }
  return names;
}

// keepalived's lines are short; a longer one is not keepalived's, and must
// not grow the buffer without bound while we wait for its newline.
constexpr std::size_t max_line = 4096;

struct FifoLine {
  std::uint64_t number;  // 1-based, counted from the reader's start
  std::string text;      // cut to max_line
  std::size_t length;    // as written (more than text.size() when cut)
};

class FifoReader {
 public:
  explicit FifoReader(int fd) : fd_(fd) {}
  // Complete lines read so far; `closed` once every writer has gone.
  std::vector<FifoLine> read_lines(bool& closed) {
    std::vector<FifoLine> lines;
    char chunk[4096];
    for (;;) {
      const ssize_t n = ::read(fd_, chunk, sizeof chunk);
      if (n > 0) {
        take(std::string_view(chunk, static_cast<std::size_t>(n)), lines);
        continue;
      }
      if (n == 0) closed = true;
      break;  // 0: EOF; -1 EAGAIN: drained
    }
    return lines;
  }

 private:
  void take(std::string_view data, std::vector<FifoLine>& lines) {
    while (!data.empty()) {
      const std::size_t eol = data.find('\n');
      const std::string_view part = data.substr(0, eol);
      if (buffer_.size() < max_line) buffer_.append(part.substr(0, max_line - buffer_.size()));
      length_ += part.size();
      if (eol == std::string_view::npos) return;
      lines.push_back({++count_, std::move(buffer_), length_});
      buffer_.clear();
      length_ = 0;
      data.remove_prefix(eol + 1);
    }
  }

  int fd_;
  std::string buffer_;
  std::size_t length_ = 0;
  std::uint64_t count_ = 0;
};

// A line too long to be keepalived's is refused whole; the rest is parsed.
ParsedEvent parse_read_line(const FifoLine& line) {
  if (line.length > max_line) return {std::nullopt, fmt::format("longer than {} bytes", max_line), true};
  return parse_fifo_line(line.text);
}

// Once per line: a warning for what keepalived does not write, so an
// operator sees why nothing happened; routine lines only in debug.
void report_skipped(const FifoLine& line, const ParsedEvent& parsed, const common::Logger& log) {
  if (!parsed.malformed) {
    log->debug("fifo-ignored line={} why={}", line.number, common::kv_value(parsed.ignored));
    return;
  }
  // The text's start is enough to recognise it; bytes= says how long it was.
  log->warn("fifo-skipped line={} bytes={} text={} why={}", line.number, line.length,
            common::kv_value(line.text.substr(0, 80)), common::kv_value(parsed.ignored));
}

// The reader must outlive anything one line or one pass can throw: keepalived
// 2.2.7 does not restart a vrrp_notify_fifo_script that exits, it only logs
// "vrrp notify fifo script terminated", and every later event would be lost.
template <typename Body>
void survive(const common::Logger& log, const std::string& context, Body&& body) {
  try {
    body();
  } catch (const std::exception& e) {
    log->error("fifo-error {} error={}", context, common::kv_value(e.what()));
  }
}

}  // namespace

void raise_all_track_files(const FifoConfig& config, const common::Logger& log) {
  std::vector<common::InstanceConfig> instances;
  for (const std::string& name : configured_instances(config.config_dir)) {
    if (auto c = load_instance(config, name, log)) instances.push_back(*c);
  }
  raise_track_files(instances, log);
}

int run_fifo_loop(const FifoConfig& config, const common::Logger& log) {
  // SIGTERM (keepalived stopping or reloading) finishes the current action,
  // then exits: never half a takeover with the old master left paused. The
  // stop signals are blocked and read from a signalfd polled with the FIFO,
  // so they never interrupt a step: a handler, even with SA_RESTART, makes
  // the poll() inside hiredis 0.14's connect fail with EINTR (poll is never
  // restarted, signal(7)) and the step fails instead of finishing.
  auto signals = vrrp::sys::SignalSet::block({SIGTERM, SIGINT, SIGHUP});
  if (!signals) {
    log->error("fifo-error path={} error={}", config.fifo_path, common::kv_value(signals.error().message));
    return common::exit_failed;
  }
  auto& stop_signals = signals.value();
  ::signal(SIGPIPE, SIG_IGN);
  struct stat st {};
  errno = 0;
  if (::stat(config.fifo_path.c_str(), &st) != 0 || !S_ISFIFO(st.st_mode)) {
    log->error("fifo-error path={} error={}", config.fifo_path,
               common::kv_value(errno ? std::strerror(errno) : "not a FIFO"));
    return common::exit_usage;
  }
  // O_NONBLOCK: open at once even before keepalived has opened its end. On
  // Linux a FIFO reader only sees POLLHUP after a writer has come and gone,
  // so "writer closed" really means keepalived closed it.
  const int fd = ::open(config.fifo_path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    log->error("fifo-error path={} error={}", config.fifo_path, common::kv_value(std::strerror(errno)));
    return common::exit_usage;
  }
  // The process that started us: keepalived's VRRP process (speaker_end.hpp).
  const StarterWatch starter(config.starter > 0 ? config.starter : ::getppid());
  log->info("fifo-start path={} config_dir={} reconcile_ms={}", config.fifo_path, config.config_dir,
            config.reconcile_interval.count());

  // After the signals are blocked: its thread inherits the mask.
  auto wakeup = vrrp::sys::Wakeup::create();
  if (!wakeup) {
    log->error("fifo-error path={} error={}", config.fifo_path, common::kv_value(wakeup.error().message));
    ::close(fd);
    return common::exit_failed;
  }
  PeerWatch peer_watch(std::move(wakeup).value());
  auto health_wakeup = vrrp::sys::Wakeup::create();
  if (!health_wakeup) {
    log->error("fifo-error path={} error={}", config.fifo_path, common::kv_value(health_wakeup.error().message));
    ::close(fd);
    return common::exit_failed;
  }
  MetricsRegistry metrics;  // before both of its feeders and its server, so it outlives them
  HealthWatch health_watch(log, std::move(health_wakeup).value(), config.heartbeat_fd, &metrics);
  MetricsEndpoint metrics_endpoint(config.metrics_listen, metrics, log);
  ReplicaGuardWatch replica_guard(log);
  // Every instance file's resident checks, not only the instances keepalived
  // has spoken of: the checks must run before the first transition. Files
  // are re-read at each reconcile pass, so an added or edited one is picked up.
  // The replica guard too, for every instance file, whatever its state.
  std::set<std::string> checked, guarded;
  const auto watch_configured = [&] {
    std::set<std::string> now, now_guarded;
    for (const std::string& name : configured_instances(config.config_dir)) {
      auto c = load_instance(config, name, log);
      if (!c) continue;
      health_watch.watch(*c);
      replica_guard.watch(*c);
      if (c->track) now.insert(name);
      now_guarded.insert(name);
    }
    for (const std::string& name : checked) {
      if (!now.contains(name)) health_watch.unwatch(name);
    }
    for (const std::string& name : guarded) {
      if (!now_guarded.contains(name)) replica_guard.unwatch(name);
    }
    checked = std::move(now);
    guarded = std::move(now_guarded);
  };
  survive(log, "health-watch", watch_configured);

  FifoReader reader(fd);
  std::deque<FifoLine> queued;  // lines read but not applied yet
  std::map<std::string, Instance> instances;
  auto next_reconcile = Clock::now() + config.reconcile_interval;
  bool closed = false;
  std::optional<int> stop_signal;
  // A signal that arrived during a step ends the loop before the next one.
  const auto take_signal = [&] {
    while (auto s = stop_signals.take()) stop_signal = *s;
    return stop_signal.has_value();
  };
  // A MASTER instance's peer is watched (peer_watch.hpp); any other state's is not.
  const auto update_watch = [&](const std::string& name, ha::VrrpState state, const common::InstanceConfig& c) {
    if (state == ha::VrrpState::master && c.connections.peer && c.peer_watch.count() > 0) {
      peer_watch.watch(name, *c.connections.peer, c.peer_watch, c.connections.timeout);
    } else {
      peer_watch.unwatch(name);
    }
  };
  // After each pass: the watch follows the state, and a yield that ends says
  // so on the wire (HandleResult::resign_advert).
  const auto after_pass = [&](const std::string& name, ha::VrrpState state, const common::InstanceConfig& c,
                              const HandleResult& r) {
    update_watch(name, state, c);
    if (r.resign_advert && c.speaker) resign_logged(c, log, "yielded");
  };
  // Re-apply an instance's last state, as observed now; a repeat is quiet.
  const auto reapply = [&](const std::string& name, Instance& instance, const char* source) {
    auto instance_config = load_instance(config, name, log);
    if (!instance_config) return;
    const Event event{name, instance.state, std::nullopt, source};
    HandleResult r = handle_event(*instance_config, event, log, HandleOptions{false, true, instance.last_plan});
    instance.last_plan = r.plan;
    if (r.action) metrics.change([&](NotifyMetrics& m) { ++m.instances[name].actions[*r.action]; });
    after_pass(name, instance.state, *instance_config, r);
  };
  while (!closed && !take_signal()) {
    // Round up: a truncated timeout wakes early and spins until the deadline.
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(next_reconcile - Clock::now());
    pollfd pfd[3] = {{fd, POLLIN, 0}, {stop_signals.fd(), POLLIN, 0}, {peer_watch.fd(), POLLIN, 0}};
    const int ready = ::poll(pfd, 3, static_cast<int>(std::max<long long>(0, wait.count())));
    if (ready < 0 && errno != EINTR) {
      log->error("fifo-error path={} error={}", config.fifo_path, common::kv_value(std::strerror(errno)));
      ::close(fd);
      return common::exit_failed;
    }
    if (pfd[0].revents != 0) {
      for (FifoLine& line : reader.read_lines(closed)) queued.push_back(std::move(line));
      if ((pfd[0].revents & POLLHUP) && !(pfd[0].revents & POLLIN)) closed = true;
      while (!queued.empty() && !take_signal()) {
        const FifoLine line = std::move(queued.front());
        queued.pop_front();
        survive(log, fmt::format("line={}", line.number), [&] {
          const ParsedEvent parsed = parse_read_line(line);
          if (!parsed.event) {
            if (parsed.malformed) metrics.change([](NotifyMetrics& m) { ++m.lines_skipped; });
            return report_skipped(line, parsed, log);
          }
          const Event& event = *parsed.event;
          auto instance_config = load_instance(config, event.instance, log);
          if (!instance_config) return;
          HandleResult r = handle_event(*instance_config, event, log, HandleOptions{false, false, std::nullopt});
          instances[event.instance] = Instance{event.state, r.plan};
          metrics.change([&](NotifyMetrics& m) {
            InstanceMetrics& i = m.instances[event.instance];
            i.state = event.state;
            ++i.events;
            if (r.action) ++i.actions[*r.action];
          });
          after_pass(event.instance, event.state, *instance_config, r);
        });
      }
      // Events queued behind a slow action come first: a reconcile pass on
      // a state keepalived has already left would act on stale news.
      continue;
    }
    if (pfd[2].revents != 0) {
      // A MASTER instance's peer turned master: a second master, now.
      for (const std::string& name : peer_watch.take_turned()) {
        auto it = instances.find(name);
        if (it == instances.end() || it->second.state != ha::VrrpState::master || take_signal()) continue;
        log->info("peer-master instance={} source=peer-watch", name);
        survive(log, "instance=" + name, [&] { reapply(name, it->second, "peer-watch"); });
      }
      continue;
    }
    if (Clock::now() >= next_reconcile && !closed && !take_signal()) {
      survive(log, "health-watch", watch_configured);
      metrics_endpoint.retry();
      // Not a structured binding: clang 14 cannot capture one in a lambda.
      for (auto& entry : instances) {
        survive(log, "instance=" + entry.first, [&] { reapply(entry.first, entry.second, "reconcile"); });
        if (take_signal()) break;
      }
      next_reconcile = Clock::now() + config.reconcile_interval;
    }
  }
  // Did keepalived die (speaker_end.hpp)? A signal from a live starter is
  // keepalived stopping or reloading: nothing to wait for. Otherwise give the
  // other half of the evidence a moment to arrive, and keep reading: a STOP
  // written before the close still counts.
  FifoEnd end{closed, starter.gone()};
  const auto give_up = Clock::now() + starter_grace;
  while ((end.fifo_closed != end.starter_gone) && !(stop_signal && !end.starter_gone) && Clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    for (FifoLine& line : reader.read_lines(end.fifo_closed)) queued.push_back(std::move(line));
    end.starter_gone = starter.gone();
  }
  ::close(fd);
  if (!speaker_died(end)) {
    log->info("fifo-stop path={} reason={}", config.fifo_path, stop_signal ? "signal" : "fifo-closed");
    return common::exit_ok;
  }
  // Every configured instance, not only those heard of: after a reload
  // keepalived sends no event for an instance whose state did not change.
  std::map<std::string, std::optional<ha::VrrpState>> last_states;
  for (const std::string& name : configured_instances(config.config_dir)) last_states[name];
  for (const auto& [name, instance] : instances) last_states[name] = instance.state;
  for (const FifoLine& line : queued) {  // read, not applied: only a STOP matters now
    const ParsedEvent parsed = parse_read_line(line);
    if (parsed.event && parsed.event->state == ha::VrrpState::stop) {
      last_states[parsed.event->instance] = ha::VrrpState::stop;
    }
  }
  std::vector<KnownInstance> known;
  std::string names;
  for (const auto& [name, state] : last_states) {
    names += (names.empty() ? "" : ",") + name;
    if (auto c = load_instance(config, name, log)) known.push_back({*c, state});
  }
  log->warn("speaker-died path={} instances={}", config.fifo_path, names.empty() ? "none" : names);
  const bool ok = release_dead_speaker(end, known, log);
  log->info("fifo-stop path={} reason=speaker-died", config.fifo_path);
  return ok ? common::exit_ok : common::exit_failed;
}

}  // namespace vipkit::notify
