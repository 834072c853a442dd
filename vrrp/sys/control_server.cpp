#include "vrrp/sys/control_server.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace vipkit::vrrp::sys {

namespace {

constexpr std::size_t max_clients = 16;
constexpr std::size_t max_request = 4096;  // a request is one short JSON line

// Is another process serving this socket file? Only a refused connection
// proves it stale; anything else is left alone.
bool served(const sockaddr_un& addr) {
  Fd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  return probe.get() >= 0 && ::connect(probe.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
}

}  // namespace

SysResult<std::unique_ptr<ControlServer>> ControlServer::open(const std::string& path, EventLoop& loop,
                                                              Handler handler) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path) {
    return SysError{ENAMETOOLONG, "control socket path '" + path + "' is empty or too long"};
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);

  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) return SysError{EEXIST, path + " exists and is not a socket"};
    if (served(addr)) return SysError{EADDRINUSE, path + " is served by a running process"};
    if (::unlink(path.c_str()) != 0) return errno_error("remove stale " + path);
  }
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) return SysError{ec.value(), "mkdir " + parent.string() + ": " + ec.message()};

  Fd listener(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (listener.get() < 0) return errno_error("socket(AF_UNIX)");
  // The file is created by bind() with the umask applied: with 0177 it is
  // never, even for an instant, connectable by others. Called before any
  // other thread exists, so the process-wide umask change races nothing.
  const mode_t saved = ::umask(0177);
  const int bound = ::bind(listener.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  ::umask(saved);
  if (bound != 0) return errno_error("bind " + path);
  if (::chmod(path.c_str(), 0600) != 0) return errno_error("chmod 0600 " + path);
  if (::listen(listener.get(), 8) != 0) return errno_error("listen " + path);

  std::unique_ptr<ControlServer> server(new ControlServer(path, std::move(listener), loop, std::move(handler)));
  ControlServer* self = server.get();
  auto accept = [self](std::uint32_t) { self->accept_clients(); };
  if (auto watched = loop.watch(self->listener_.get(), EPOLLIN, accept); !watched) return watched.error();
  return server;
}

ControlServer::ControlServer(std::string path, Fd listener, EventLoop& loop, Handler handler)
    : path_(std::move(path)), listener_(std::move(listener)), loop_(loop), handler_(std::move(handler)) {}

ControlServer::~ControlServer() {
  while (!clients_.empty()) close_client(clients_.begin()->first);
  loop_.unwatch(listener_.get());
  ::unlink(path_.c_str());
}

void ControlServer::accept_clients() {
  for (;;) {
    Fd client(::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (client.get() < 0) return;  // EAGAIN: all taken; other errors: the client is gone
    // Full: the oldest goes, most likely a client that connected and never
    // wrote. Refusing the newcomer instead would let idle connections lock
    // the operator out until they expire.
    if (clients_.size() >= max_clients) close_client(oldest_client());
    const int fd = client.get();
    if (!loop_.watch(fd, EPOLLIN | EPOLLRDHUP, [this, fd](std::uint32_t ev) { on_client(fd, ev); })) continue;
    clients_.emplace(fd, Client{std::move(client), std::chrono::steady_clock::now(), {}, {}});
  }
}

void ControlServer::on_client(int fd, std::uint32_t events) {
  auto found = clients_.find(fd);
  if (found == clients_.end()) return;
  Client& c = found->second;
  if (c.out.empty()) {
    char chunk[1024];
    for (;;) {
      const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n > 0) {
        c.in.append(chunk, static_cast<std::size_t>(n));
        if (c.in.size() > max_request) return close_client(fd);
        continue;
      }
      if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        if (c.in.find('\n') == std::string::npos) return close_client(fd);  // gone before a full line
      }
      break;
    }
    const auto eol = c.in.find('\n');
    if (eol == std::string::npos) return;
    c.out = handler_(std::string_view(c.in).substr(0, eol)) + "\n";
  } else if (!(events & EPOLLOUT)) {
    return;
  }
  const ssize_t sent = ::send(fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
  if (sent < 0 && errno != EAGAIN && errno != EINTR) return close_client(fd);
  if (sent > 0) c.out.erase(0, static_cast<std::size_t>(sent));
  if (c.out.empty()) return close_client(fd);
  loop_.watch(fd, EPOLLOUT, [this, fd](std::uint32_t ev) { on_client(fd, ev); });  // the rest when it drains
}

int ControlServer::oldest_client() const {
  auto oldest = clients_.begin();
  for (auto it = clients_.begin(); it != clients_.end(); ++it) {
    if (it->second.since < oldest->second.since) oldest = it;
  }
  return oldest->first;
}

void ControlServer::close_client(int fd) {
  loop_.unwatch(fd);
  clients_.erase(fd);
}

void ControlServer::expire(TimePoint now, std::chrono::milliseconds patience) {
  for (auto it = clients_.begin(); it != clients_.end();) {
    const int fd = it->first;
    ++it;
    if (now - clients_.at(fd).since > patience) close_client(fd);
  }
}

}  // namespace vipkit::vrrp::sys
