#pragma once
// The server end of vipd's control socket: a non-blocking unix stream
// socket, mode 0600 (created under a umask that never lets it be wider),
// one request line in, one response line out, then close. At most 16
// clients at once (a newcomer closes the oldest), 4 KiB a request, and a
// client that lingers is dropped (expire). A stale socket
// file left by a killed vipd is replaced; a live one (another vipd answers
// on it) is an error, as is any file that is not a socket.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "vrrp/sys/event_loop.hpp"

namespace vipkit::vrrp::sys {

class ControlServer {
 public:
  // The response to one request line, without the newline.
  using Handler = std::function<std::string(std::string_view request)>;

  // Listens at `path` and serves through `loop`. Not movable: the loop
  // holds callbacks into it.
  static SysResult<std::unique_ptr<ControlServer>> open(const std::string& path, EventLoop& loop, Handler handler);
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;
  ~ControlServer();

  // Drop clients that have not sent a full line (or taken their answer)
  // within `patience` of connecting: a stuck client must not hold a slot.
  void expire(TimePoint now, std::chrono::milliseconds patience);

  const std::string& path() const { return path_; }

 private:
  struct Client {
    Fd fd;
    TimePoint since;
    std::string in;
    std::string out;
  };
  ControlServer(std::string path, Fd listener, EventLoop& loop, Handler handler);
  void accept_clients();
  void on_client(int fd, std::uint32_t events);
  void close_client(int fd);
  int oldest_client() const;  // clients_ must not be empty

  std::string path_;
  Fd listener_;
  EventLoop& loop_;
  Handler handler_;
  std::map<int, Client> clients_;
};

}  // namespace vipkit::vrrp::sys
