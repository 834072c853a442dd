#include "vipctl/scratch_server.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "redis/connection.hpp"

namespace vipkit::vipctl {

namespace {

namespace fs = std::filesystem;

// The files the server's directory can hold: what the signal handler
// unlinks before rmdir (it may not walk a directory).
constexpr std::array<const char*, 5> scratch_files = {"redis.conf", "dump.rdb", "redis.sock", "redis.log",
                                                      "redis.out"};
constexpr std::size_t path_max = 256;

// The one running scratch server, for the signal handler only: a handler
// gets no argument, so this is the single piece of process-wide state.
std::atomic<pid_t> cleanup_pid{-1};
char cleanup_dir[path_max] = {};
std::atomic<bool> cleanup_armed{false};

void remove_scratch_files(const char* dir) {
  char path[path_max + 32];
  for (const char* name : scratch_files) {
    // snprintf is not on POSIX's async-signal-safe list; build the path by hand.
    std::size_t n = 0;
    for (const char* p = dir; *p != '\0' && n < path_max; ++p) path[n++] = *p;
    path[n++] = '/';
    for (const char* p = name; *p != '\0'; ++p) path[n++] = *p;
    path[n] = '\0';
    ::unlink(path);
  }
  ::rmdir(dir);
}

extern "C" void on_fatal_signal(int sig) {
  const pid_t pid = cleanup_pid.exchange(-1);
  if (pid > 0) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  if (cleanup_armed.exchange(false)) remove_scratch_files(cleanup_dir);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

std::string last_log_line(const std::string& dir) {
  std::string last;
  for (const char* name : {"redis.log", "redis.out"}) {
    std::ifstream in(fs::path(dir) / name);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) last = line;
    }
  }
  return last.empty() ? "no log" : last;
}

}  // namespace

std::optional<std::string> find_redis_server(const std::string& name) {
  if (name.empty()) return std::nullopt;
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), X_OK) == 0) return name;
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::string dir = dirs.substr(start, end - start);
    const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

void install_scratch_signal_cleanup() {
  struct sigaction sa {};
  sa.sa_handler = on_fatal_signal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) ::sigaction(sig, &sa, nullptr);
}

ScratchServer::ScratchServer(std::string dir, pid_t pid) : dir_(std::move(dir)), pid_(pid) {
  endpoint_.socket = dir_ + "/redis.sock";
}

ScratchServer::~ScratchServer() { stop(); }

void ScratchServer::stop() {
  // Disarm the handler first: it must not race us on the same pid and files.
  cleanup_pid.store(-1);
  cleanup_armed.store(false);
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    dir_.clear();
  }
}

ScratchResult<std::unique_ptr<ScratchServer>> ScratchServer::start(const std::string& redis_server,
                                                                   const std::string& rdb,
                                                                   std::chrono::milliseconds load_timeout) {
  char tmpl[] = "/tmp/vipctl-snapshot.XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) {
    return ScratchError{fmt::format("mkdtemp /tmp/vipctl-snapshot.XXXXXX: {}", std::strerror(errno))};
  }
  const std::string dir = tmpl;
  static_assert(sizeof tmpl < path_max);
  // From here on a signal removes the directory (and the server, once there).
  std::memcpy(cleanup_dir, dir.c_str(), dir.size() + 1);
  cleanup_armed.store(true);
  std::unique_ptr<ScratchServer> server(new ScratchServer(dir, -1));

  std::error_code ec;
  fs::copy_file(rdb, fs::path(dir) / "dump.rdb", ec);
  if (ec) return ScratchError{fmt::format("cannot copy {}: {}", rdb, ec.message())};
  {
    std::ofstream conf(fs::path(dir) / "redis.conf");
    conf << "port 0\n"
         << "unixsocket " << dir << "/redis.sock\n"
         << "unixsocketperm 700\n"
         << "dir " << dir << "\n"
         << "dbfilename dump.rdb\n"
         << "save \"\"\n"
         << "appendonly no\n"
         << "daemonize no\n"
         << "logfile " << dir << "/redis.log\n";
    if (!conf) return ScratchError{fmt::format("cannot write {}/redis.conf", dir)};
  }

  // No signal between fork and recording the pid: the handler must know it.
  sigset_t block, old;
  sigemptyset(&block);
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&block, sig);
  ::sigprocmask(SIG_BLOCK, &block, &old);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    const std::string out = dir + "/redis.out";
    const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      ::close(fd);
    }
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    // Not the master's connection, nor any other descriptor of vipctl's.
    ::close_range(3, ~0U, 0);
    for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGPIPE}) ::signal(sig, SIG_DFL);
    ::sigprocmask(SIG_SETMASK, &old, nullptr);
    const std::string conf = dir + "/redis.conf";
    ::execl(redis_server.c_str(), redis_server.c_str(), conf.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const int fork_errno = errno;
  if (pid > 0) {
    cleanup_pid.store(pid);
    server->pid_ = pid;
  }
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
  if (pid < 0) return ScratchError{fmt::format("fork: {}", std::strerror(fork_errno))};

  const auto deadline = redis::Clock::now() + load_timeout;
  std::string last_error = "no answer yet";
  while (redis::Clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      server->pid_ = -1;
      cleanup_pid.store(-1);
      const std::string how = WIFEXITED(status) ? fmt::format("exit status {}", WEXITSTATUS(status))
                                                : fmt::format("signal {}", WTERMSIG(status));
      return ScratchError{fmt::format("{} could not load {} ({}): {}", redis_server, rdb, how, last_log_line(dir))};
    }
    const auto try_until = std::min(deadline, redis::Clock::now() + std::chrono::seconds(1));
    if (::access(server->endpoint_.socket.c_str(), F_OK) == 0) {
      auto c = redis::Connection::open(server->endpoint_, {}, try_until);
      if (c) {
        auto pong = c->command({"PING"}, try_until);
        if (pong) return server;
        last_error = pong.error().message;  // LOADING while the RDB is read
      } else {
        last_error = c.error().message;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return ScratchError{fmt::format("{} did not finish loading {} within {} ms ({})", redis_server, rdb,
                                  load_timeout.count(), last_error)};
}

}  // namespace vipkit::vipctl
