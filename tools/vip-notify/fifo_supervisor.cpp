#include "vip-notify/fifo_supervisor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <optional>

#include "common/exit_codes.hpp"
#include "vrrp/sys/event_loop.hpp"

namespace vipkit::notify {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds first_backoff{100};
constexpr milliseconds max_backoff{5000};
constexpr auto lived_long = std::chrono::seconds(60);  // a child this old resets the backoff
// The child's own report of an exception that escaped the reader (it catches
// each line's and each pass's, fifo_loop.cpp): restarted like a crash.
constexpr int exit_reader_failed = 70;  // EX_SOFTWARE

struct Pipe {
  vrrp::sys::Fd read;
  vrrp::sys::Fd write;
};

std::optional<Pipe> heartbeat_pipe() {
  int fds[2];
  if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) return std::nullopt;
  return Pipe{vrrp::sys::Fd(fds[0]), vrrp::sys::Fd(fds[1])};
}

void drain(int fd) {
  char buffer[256];
  while (::read(fd, buffer, sizeof buffer) > 0) {
  }
}

int wait_ms(Clock::time_point until) {
  const auto left = std::chrono::ceil<milliseconds>(until - Clock::now());
  return static_cast<int>(std::clamp<long long>(left.count(), 0, 60000));
}

}  // namespace

int supervise_reader(const std::function<int(int heartbeat_fd)>& reader, const std::function<void()>& reader_lost,
                     const common::Logger& log) {
  // Blocked before the first fork: a child's death or a stop signal is never
  // missed between two waits. The reader reads its own stop signals through
  // a signalfd (fifo_loop.cpp), so they stay blocked in the child.
  auto signals = vrrp::sys::SignalSet::block({SIGTERM, SIGINT, SIGHUP, SIGCHLD});
  auto beats = heartbeat_pipe();
  if (!signals || !beats) {
    log->error("fifo-error error={}", common::kv_value(signals ? std::strerror(errno) : signals.error().message));
    return common::exit_failed;
  }
  milliseconds backoff = first_backoff;
  for (int restarts = 0;; ++restarts) {
    const auto started = Clock::now();
    const pid_t child = ::fork();
    if (child < 0) {
      log->error("fifo-error error={}", common::kv_value(std::strerror(errno)));
      return common::exit_failed;
    }
    if (child == 0) {
      const sigset_t chld = [] {
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, SIGCHLD);
        return s;
      }();
      ::sigprocmask(SIG_UNBLOCK, &chld, nullptr);
      int code = exit_reader_failed;
      try {
        code = reader(beats->write.get());
      } catch (const std::exception& e) {
        log->error("fifo-reader-failed error={}", common::kv_value(e.what()));
      }
      ::_exit(code);  // the parent's atexit handlers and buffers are not ours to run
    }
    if (restarts > 0) log->warn("fifo-reader-restarted pid={} restarts={}", child, restarts);
    bool stop_forwarded = false;
    bool stalled = false;
    int status = 0;
    auto last_beat = Clock::now();
    for (;;) {
      pollfd fds[2] = {{signals->fd(), POLLIN, 0}, {beats->read.get(), POLLIN, 0}};
      ::poll(fds, 2, wait_ms(last_beat + reader_stall_bound));
      if (fds[1].revents != 0) {
        drain(beats->read.get());
        last_beat = Clock::now();
      }
      bool child_done = false;
      while (auto sig = signals->take()) {
        if (*sig == SIGCHLD) {
          child_done = child_done || ::waitpid(child, &status, WNOHANG) == child;
        } else {
          stop_forwarded = true;
          ::kill(child, *sig);
        }
      }
      if (child_done) break;
      if (!stalled && !stop_forwarded && Clock::now() - last_beat >= reader_stall_bound) {
        // Stopped (SIGSTOP), or stuck: its checks say nothing any more.
        stalled = true;
        log->error("fifo-reader-stalled pid={} silent_ms={}", child,
                   std::chrono::duration_cast<milliseconds>(Clock::now() - last_beat).count());
        reader_lost();
        ::kill(child, SIGKILL);
      }
    }
    const bool crashed = WIFSIGNALED(status) || WEXITSTATUS(status) == exit_reader_failed;
    if (!crashed) return WEXITSTATUS(status);
    if (stop_forwarded) return common::exit_failed;  // it was stopping anyway
    if (Clock::now() - started > lived_long) backoff = first_backoff;
    log->error("fifo-reader-died pid={} cause={} restart_in_ms={}", child,
               stalled ? "stalled" : WIFSIGNALED(status) ? ::strsignal(WTERMSIG(status)) : "exception",
               backoff.count());
    if (!stalled) reader_lost();
    // The pause, unless a stop signal ends it.
    const auto until = Clock::now() + backoff;
    bool stop = false;
    while (!stop && Clock::now() < until) {
      pollfd fds[1] = {{signals->fd(), POLLIN, 0}};
      ::poll(fds, 1, wait_ms(until));
      while (auto sig = signals->take()) stop = stop || *sig != SIGCHLD;
    }
    if (stop) return common::exit_ok;
    drain(beats->read.get());
    backoff = std::min(backoff * 2, max_backoff);
  }
}

}  // namespace vipkit::notify
