#include "vip-notify/fifo_supervisor.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include <exception>

#include "common/exit_codes.hpp"

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

sigset_t signals_of(std::initializer_list<int> numbers) {
  sigset_t set;
  sigemptyset(&set);
  for (const int n : numbers) sigaddset(&set, n);
  return set;
}

// Waits for a stop signal for at most `pause`: true when one came.
bool stopped_during(milliseconds pause) {
  const sigset_t stop = signals_of({SIGTERM, SIGINT, SIGHUP});
  const auto until = Clock::now() + pause;
  for (;;) {
    const auto left = std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(until - Clock::now()));
    timespec ts{static_cast<time_t>(left.count() / 1000), static_cast<long>(left.count() % 1000) * 1000000};
    const int sig = ::sigtimedwait(&stop, nullptr, &ts);
    if (sig > 0) return true;
    if (errno == EAGAIN) return false;  // EINTR: a signal outside the set; wait on
  }
}

}  // namespace

int supervise_reader(const std::function<int()>& reader, const common::Logger& log) {
  // Blocked before the first fork: a child's death or a stop signal is never
  // missed between two waits. The reader reads its stop signals through a
  // signalfd (fifo_loop.cpp), so they stay blocked in the child.
  const sigset_t watched = signals_of({SIGTERM, SIGINT, SIGHUP, SIGCHLD});
  const sigset_t child_only = signals_of({SIGCHLD});
  ::sigprocmask(SIG_BLOCK, &watched, nullptr);
  milliseconds backoff = first_backoff;
  for (int restarts = 0;; ++restarts) {
    const auto started = Clock::now();
    const pid_t child = ::fork();
    if (child < 0) {
      log->error("fifo-error error={}", common::kv_value(std::strerror(errno)));
      return common::exit_failed;
    }
    if (child == 0) {
      ::sigprocmask(SIG_UNBLOCK, &child_only, nullptr);
      int code = exit_reader_failed;
      try {
        code = reader();
      } catch (const std::exception& e) {
        log->error("fifo-reader-failed error={}", common::kv_value(e.what()));
      }
      ::_exit(code);  // the parent's atexit handlers and buffers are not ours to run
    }
    if (restarts > 0) log->warn("fifo-reader-restarted pid={} restarts={}", child, restarts);
    bool stop_forwarded = false;
    int status = 0;
    for (;;) {
      siginfo_t info{};
      const int sig = ::sigwaitinfo(&watched, &info);
      if (sig < 0) continue;  // EINTR
      if (sig != SIGCHLD) {
        stop_forwarded = true;
        ::kill(child, sig);
        continue;
      }
      if (::waitpid(child, &status, WNOHANG) == child) break;
    }
    const bool crashed = WIFSIGNALED(status) || WEXITSTATUS(status) == exit_reader_failed;
    if (!crashed) return WEXITSTATUS(status);
    if (stop_forwarded) return common::exit_failed;  // it was stopping anyway
    if (Clock::now() - started > lived_long) backoff = first_backoff;
    log->error("fifo-reader-died pid={} cause={} restart_in_ms={}", child,
               WIFSIGNALED(status) ? ::strsignal(WTERMSIG(status)) : "exception", backoff.count());
    if (stopped_during(backoff)) return common::exit_ok;
    backoff = std::min(backoff * 2, max_backoff);
  }
}

}  // namespace vipkit::notify
