#include "vip-notify/fifo_loop.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <optional>

#include "common/cli.hpp"
#include "common/exit_codes.hpp"
#include "vip-notify/event.hpp"
#include "vip-notify/handler.hpp"

namespace vipkit::notify {

namespace {

using Clock = std::chrono::steady_clock;

volatile sig_atomic_t stop_requested = 0;
void on_stop_signal(int) { stop_requested = 1; }

// SIGTERM (keepalived stopping) finishes the current action, then exits:
// never half a takeover with the old master left paused.
void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: poll() returns EINTR so we notice at once
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

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

class FifoReader {
 public:
  explicit FifoReader(int fd) : fd_(fd) {}
  // Complete lines read so far; `closed` once every writer has gone.
  std::vector<std::string> read_lines(bool& closed) {
    std::vector<std::string> lines;
    char chunk[4096];
    for (;;) {
      const ssize_t n = ::read(fd_, chunk, sizeof chunk);
      if (n > 0) {
        buffer_.append(chunk, static_cast<std::size_t>(n));
        continue;
      }
      if (n == 0) closed = true;
      break;  // 0: EOF; -1 EAGAIN: drained
    }
    std::size_t eol;
    while ((eol = buffer_.find('\n')) != std::string::npos) {
      lines.push_back(buffer_.substr(0, eol));
      buffer_.erase(0, eol + 1);
    }
    return lines;
  }

 private:
  int fd_;
  std::string buffer_;
};

}  // namespace

int run_fifo_loop(const FifoConfig& config, const common::Logger& log) {
  install_stop_handlers();
  struct stat st {};
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
  log->info("fifo-start path={} config_dir={} reconcile_ms={}", config.fifo_path, config.config_dir,
            config.reconcile_interval.count());

  FifoReader reader(fd);
  std::map<std::string, Instance> instances;
  auto next_reconcile = Clock::now() + config.reconcile_interval;
  bool closed = false;
  while (!closed && !stop_requested) {
    // Round up: a truncated timeout wakes early and spins until the deadline.
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(next_reconcile - Clock::now());
    pollfd pfd{fd, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, static_cast<int>(std::max<long long>(0, wait.count())));
    if (ready < 0 && errno != EINTR) {
      log->error("fifo-error path={} error={}", config.fifo_path, common::kv_value(std::strerror(errno)));
      ::close(fd);
      return common::exit_failed;
    }
    if (ready > 0) {
      for (const std::string& line : reader.read_lines(closed)) {
        const ParsedEvent parsed = parse_fifo_line(line);
        if (!parsed.event) {
          log->debug("fifo-ignored line={} why={}", common::kv_value(line), common::kv_value(parsed.ignored));
          continue;
        }
        const Event& event = *parsed.event;
        auto instance_config = load_instance(config, event.instance, log);
        if (!instance_config) continue;
        HandleResult r = handle_event(*instance_config, event, log, HandleOptions{false, false, std::nullopt});
        instances[event.instance] = Instance{event.state, r.plan};
      }
      if ((pfd.revents & POLLHUP) && !(pfd.revents & POLLIN)) closed = true;
      // Events queued behind a slow action come first: a reconcile pass on
      // a state keepalived has already left would act on stale news.
      continue;
    }
    if (Clock::now() >= next_reconcile && !closed && !stop_requested) {
      for (auto& [name, instance] : instances) {
        auto instance_config = load_instance(config, name, log);
        if (!instance_config) continue;
        const Event event{name, instance.state, std::nullopt, "reconcile"};
        HandleResult r = handle_event(*instance_config, event, log,
                                      HandleOptions{false, true, instance.last_plan});
        instance.last_plan = r.plan;
      }
      next_reconcile = Clock::now() + config.reconcile_interval;
    }
  }
  ::close(fd);
  log->info("fifo-stop path={} reason={}", config.fifo_path, stop_requested ? "signal" : "fifo-closed");
  return common::exit_ok;
}

}  // namespace vipkit::notify
