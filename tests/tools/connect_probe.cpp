// vipkit-connect-probe — drives redis::Connection::open's interruptible
// connect (redis/interruptible_connect.hpp) against real sockets, for
// tests/integration/test_interruptible_connect.sh. Prints one line per case:
// "CASE code=TOKEN ms=N" (code=ok when connected, and then PING answered).
//   black-hole: a listener whose accept queue is full drops the SYN, so the
//     connect hangs as to a cut-off peer; interrupted after --interrupt-ms;
//   black-hole-timeout: the same without interruption ends at --timeout-ms;
//   redis HOST:PORT: a live Redis through the same path (password from
//     REDISCLI_AUTH), the interrupt fd never readable.
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "redis/commands.hpp"
#include "redis/connection.hpp"

using namespace vipkit;

namespace {

using Ms = std::chrono::milliseconds;
constexpr Ms interrupt_after{100};
constexpr Ms timeout{400};

void report(const char* name, const redis::Status& status, redis::Clock::time_point started) {
  const auto ms = std::chrono::duration_cast<Ms>(redis::Clock::now() - started).count();
  const std::string code = status ? "ok" : std::string(redis::to_token(status.error().code));
  std::printf("%s code=%s ms=%lld\n", name, code.c_str(), static_cast<long long>(ms));
}

redis::Status open_and_ping(const redis::Endpoint& endpoint, const redis::Credentials& credentials,
                            redis::Deadline deadline, int interrupt_fd) {
  auto c = redis::Connection::open(endpoint, credentials, deadline, interrupt_fd);
  if (!c) return c.error();
  auto pong = c.value().command({"PING"}, deadline);
  if (!pong) return pong.error();
  return redis::Done{};
}

// A loopback listener with backlog 0 and its queue filled: the next SYN is dropped.
int full_listener(int& port, std::vector<int>& fillers) {
  const int l = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (l < 0 || ::bind(l, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(l, 0) != 0 ||
      ::getsockname(l, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    std::perror("listener");
    std::exit(2);
  }
  port = ntohs(a.sin_port);
  for (int i = 0; i < 3; ++i) {
    const int f = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    [[maybe_unused]] const int rc = ::connect(f, reinterpret_cast<sockaddr*>(&a), sizeof a);
    fillers.push_back(f);
  }
  std::this_thread::sleep_for(Ms(50));  // let the handshakes that can complete do so
  return l;
}

}  // namespace

int main(int argc, char** argv) {
  const int efd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (efd < 0) {
    std::perror("eventfd");
    return 2;
  }
  if (argc == 3 && std::string(argv[1]) == "redis") {
    auto endpoint = redis::parse_host_port(argv[2]);
    if (!endpoint) {
      std::fprintf(stderr, "not HOST:PORT: %s\n", argv[2]);
      return 2;
    }
    redis::Credentials credentials;
    if (const char* p = std::getenv("REDISCLI_AUTH")) credentials.password = p;
    const auto started = redis::Clock::now();
    report("redis", open_and_ping(*endpoint, credentials, started + timeout, efd), started);
    return 0;
  }
  if (argc != 1) {
    std::fprintf(stderr, "usage: vipkit-connect-probe [redis HOST:PORT]\n");
    return 2;
  }
  int port = 0;
  std::vector<int> fillers;
  const int listener = full_listener(port, fillers);
  const redis::Endpoint hole{"127.0.0.1", port, ""};
  {
    std::thread interrupter([efd] {
      std::this_thread::sleep_for(interrupt_after);
      const std::uint64_t one = 1;
      [[maybe_unused]] const ssize_t n = ::write(efd, &one, sizeof one);
    });
    const auto started = redis::Clock::now();
    report("black-hole", open_and_ping(hole, {}, started + Ms(5000), efd), started);
    interrupter.join();
  }
  std::uint64_t drained = 0;
  [[maybe_unused]] const ssize_t n = ::read(efd, &drained, sizeof drained);
  const auto started = redis::Clock::now();
  report("black-hole-timeout", open_and_ping(hole, {}, started + timeout, efd), started);
  for (const int f : fillers) ::close(f);
  ::close(listener);
  ::close(efd);
  return 0;
}
