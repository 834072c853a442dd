#include "redis/interruptible_connect.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

namespace vipkit::redis {

namespace {

struct Address {
  sockaddr_storage storage{};
  socklen_t length = 0;
};

std::optional<Address> numeric_address(const Endpoint& endpoint) {
  Address a;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&a.storage);
  if (::inet_pton(AF_INET, endpoint.host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<std::uint16_t>(endpoint.port));
    a.length = sizeof(sockaddr_in);
    return a;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&a.storage);
  if (::inet_pton(AF_INET6, endpoint.host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<std::uint16_t>(endpoint.port));
    a.length = sizeof(sockaddr_in6);
    return a;
  }
  return std::nullopt;
}

// errno of a failed connect, by the table Connection::open uses for hiredis's.
Error connect_error(int err, const std::string& where) {
  return Error{error_code_of_errno(err).value_or(ErrorCode::io), where + ": " + std::strerror(err)};
}

class OwnedFd {
 public:
  explicit OwnedFd(int fd) : fd_(fd) {}
  ~OwnedFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  OwnedFd(const OwnedFd&) = delete;
  OwnedFd& operator=(const OwnedFd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

}  // namespace

bool is_numeric_host(const Endpoint& endpoint) { return !endpoint.is_unix() && numeric_address(endpoint).has_value(); }

Result<int> connect_interruptible(const Endpoint& endpoint, Deadline deadline, int interrupt_fd) {
  const std::string where = endpoint.to_string();
  const auto address = numeric_address(endpoint);
  if (!address) return Error{ErrorCode::io, where + ": not a numeric address"};
  OwnedFd sock(::socket(address->storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP));
  if (sock.get() < 0) return connect_error(errno, where);
  if (::connect(sock.get(), reinterpret_cast<const sockaddr*>(&address->storage), address->length) != 0) {
    if (errno != EINPROGRESS) return connect_error(errno, where);
    for (;;) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return Error{ErrorCode::timeout, where + ": connect timed out"};
      pollfd fds[2] = {{sock.get(), POLLOUT, 0}, {interrupt_fd, POLLIN, 0}};
      const int ready = ::poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 60000)));
      if (ready < 0 && errno == EINTR) continue;
      if (ready < 0) return connect_error(errno, where);
      if (fds[1].revents != 0) return Error{ErrorCode::interrupted, where + ": connect interrupted by a newer request"};
      if (fds[0].revents != 0) break;
    }
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(sock.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) return connect_error(errno, where);
    if (err != 0) return connect_error(err, where);
  }
  // hiredis's blocking context reads and writes with SO_RCVTIMEO/SO_SNDTIMEO
  // (set per command by Connection): the socket must block again.
  const int flags = ::fcntl(sock.get(), F_GETFL);
  if (flags < 0 || ::fcntl(sock.get(), F_SETFL, flags & ~O_NONBLOCK) != 0) return connect_error(errno, where);
  const int one = 1;
  ::setsockopt(sock.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // as hiredis does; best effort
  return sock.release();
}

}  // namespace vipkit::redis
