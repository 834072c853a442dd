#pragma once
// One event loop for vipd's main thread: epoll over file descriptors, each
// with its callback. Time and signals come in as descriptors too (timerfd,
// signalfd), and another thread wakes the loop through an eventfd — so the
// loop never sleeps on anything but epoll_wait, and nothing in it blocks.
#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <unordered_map>

#include "vrrp/sys/sys_error.hpp"

namespace vipkit::vrrp::sys {

using TimePoint = std::chrono::steady_clock::time_point;

// An owned descriptor, closed on destruction.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();
  int get() const { return fd_; }

 private:
  int fd_;
};

class EventLoop {
 public:
  using Callback = std::function<void(std::uint32_t events)>;

  static SysResult<EventLoop> create();

  // Call `callback` with the epoll events whenever `fd` is ready. The loop
  // does not own `fd`; unwatch it before closing it.
  SysResult<Done> watch(int fd, std::uint32_t events, Callback callback);
  void unwatch(int fd);

  // Dispatch until stop() is called from a callback. Fails only when
  // epoll_wait itself does.
  SysResult<Done> run();
  void stop() { running_ = false; }

 private:
  explicit EventLoop(Fd epoll) : epoll_(std::move(epoll)) {}
  Fd epoll_;
  // shared_ptr: a callback may unwatch itself (or others) while it runs.
  std::unordered_map<int, std::shared_ptr<Callback>> callbacks_;
  bool running_ = false;
};

// A timerfd on CLOCK_MONOTONIC, the clock of std::chrono::steady_clock, so
// deadlines computed by the pure core arm it as they are.
class Timer {
 public:
  static SysResult<Timer> create();
  void arm(TimePoint at);  // absolute; a time already past fires at once
  void disarm();
  void acknowledge();      // consume the expiry so the fd stops being readable
  int fd() const { return fd_.get(); }

 private:
  explicit Timer(Fd fd) : fd_(std::move(fd)) {}
  Fd fd_;
};

// Signals delivered as reads from a signalfd; blocked for normal delivery
// in the calling thread (call before starting other threads so they
// inherit the mask).
class SignalSet {
 public:
  static SysResult<SignalSet> block(std::initializer_list<int> signals);
  std::optional<int> take();  // the next pending signal, if any
  int fd() const { return fd_.get(); }

 private:
  explicit SignalSet(Fd fd) : fd_(std::move(fd)) {}
  Fd fd_;
};

// An eventfd: notify() from any thread makes fd() readable until drain().
class Wakeup {
 public:
  static SysResult<Wakeup> create();
  void notify();
  void drain();
  int fd() const { return fd_.get(); }

 private:
  explicit Wakeup(Fd fd) : fd_(std::move(fd)) {}
  Fd fd_;
};

}  // namespace vipkit::vrrp::sys
