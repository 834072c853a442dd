#include "common/control_client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vipkit::common {

namespace {

using Clock = std::chrono::steady_clock;

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

IoError failure(int code, const std::string& path, const std::string& what) {
  return IoError{code, path + ": " + what};
}

// Wait until `fd` is ready for `events` or the deadline passes.
bool wait_for(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, static_cast<int>(left.count()));
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return false;
  }
}

}  // namespace

IoResult<nlohmann::json> control_request(const std::string& path, const nlohmann::json& request,
                                         std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) return failure(ENAMETOOLONG, path, "path too long");
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);

  Fd s{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)};
  if (s.fd < 0) return errno_error(path);
  // A unix stream connect completes at once or fails (EAGAIN: backlog full).
  if (::connect(s.fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    return errno_error(path);
  }
  const std::string line = request.dump() + "\n";
  for (std::size_t sent = 0; sent < line.size();) {
    if (!wait_for(s.fd, POLLOUT, deadline)) return failure(ETIMEDOUT, path, "send timed out");
    const ssize_t n = ::send(s.fd, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EINTR) return errno_error(path);
    if (n > 0) sent += static_cast<std::size_t>(n);
  }
  std::string response;
  while (response.find('\n') == std::string::npos) {
    if (!wait_for(s.fd, POLLIN, deadline)) return failure(ETIMEDOUT, path, "no answer in time");
    char chunk[4096];
    const ssize_t n = ::recv(s.fd, chunk, sizeof chunk, 0);
    if (n == 0) break;
    if (n < 0 && errno != EAGAIN && errno != EINTR) return errno_error(path);
    if (n > 0) response.append(chunk, static_cast<std::size_t>(n));
  }
  const auto eol = response.find('\n');
  auto doc = nlohmann::json::parse(response.substr(0, eol), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return failure(EPROTO, path, "answer is not a JSON object");
  }
  return doc;
}

}  // namespace vipkit::common
