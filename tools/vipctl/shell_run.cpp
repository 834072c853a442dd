#include "vipctl/shell_run.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace vipkit::vipctl {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t keep_bytes = 16 * 1024;  // the tail is all the log shows
constexpr std::size_t tail_lines = 5;

void append_bounded(std::string& buffer, const char* data, std::size_t n) {
  buffer.append(data, n);
  if (buffer.size() > keep_bytes) buffer.erase(0, buffer.size() - keep_bytes);
}

// Read what is there without blocking; false at EOF or error.
bool drain(int fd, std::string& buffer) {
  char chunk[4096];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n > 0) {
      append_bounded(buffer, chunk, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
}

}  // namespace

std::string last_lines(std::string_view text, std::size_t count) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    if (!line.empty()) lines.push_back(line);
  }
  std::string out;
  const std::size_t first = lines.size() > count ? lines.size() - count : 0;
  for (std::size_t i = first; i < lines.size(); ++i) {
    if (!out.empty()) out += " | ";
    out += lines[i];
  }
  return out;
}

std::string shell_run_text(const ShellRun& r, std::chrono::milliseconds timeout) {
  if (!r.started) return "could not start /bin/sh: " + r.error;
  std::string head;
  if (r.timed_out) {
    head = fmt::format("timed out after {} ms, killed", timeout.count());
  } else if (r.signal != 0) {
    head = fmt::format("killed by signal {}", r.signal);
  } else {
    head = fmt::format("exit {}", r.exit_code);
  }
  return r.output_tail.empty() ? head : head + ": " + r.output_tail;
}

ShellRun run_shell(const std::string& command, std::chrono::milliseconds timeout) {
  ShellRun run;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    run.error = std::strerror(errno);
    return run;
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    run.error = std::strerror(errno);
    ::close(fds[0]);
    ::close(fds[1]);
    return run;
  }
  if (pid == 0) {
    // Its own process group, so that a timeout ends what it started too.
    ::setpgid(0, 0);
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, STDIN_FILENO);
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(fds[1], STDERR_FILENO);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also here: no race with the kill below
  ::close(fds[1]);
  ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  run.started = true;

  std::string output;
  bool open = true;
  int status = 0;
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (Clock::now() >= deadline) {
      run.timed_out = true;
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    if (open) {
      pollfd p{fds[0], POLLIN, 0};
      if (::poll(&p, 1, 50) > 0) open = drain(fds[0], output);
    } else {
      ::usleep(50 * 1000);  // EOF but not exited yet: poll the exit
    }
  }
  if (open) drain(fds[0], output);
  ::close(fds[0]);
  if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) run.signal = WTERMSIG(status);
  run.output_tail = last_lines(output, tail_lines);
  return run;
}

}  // namespace vipkit::vipctl
