#include "vrrp/sys/event_loop.hpp"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>

namespace vipkit::vrrp::sys {

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

SysResult<EventLoop> EventLoop::create() {
  const int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) return errno_error("epoll_create1");
  return EventLoop(Fd(fd));
}

SysResult<Done> EventLoop::watch(int fd, std::uint32_t events, Callback callback) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  const bool known = callbacks_.contains(fd);
  if (::epoll_ctl(epoll_.get(), known ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) != 0) {
    return errno_error("epoll_ctl fd " + std::to_string(fd));
  }
  callbacks_[fd] = std::make_shared<Callback>(std::move(callback));
  return Done{};
}

void EventLoop::unwatch(int fd) {
  if (callbacks_.erase(fd) > 0) ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
}

SysResult<Done> EventLoop::run() {
  running_ = true;
  std::array<epoll_event, 16> events{};
  while (running_) {
    const int n = ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error("epoll_wait");
    }
    for (int i = 0; i < n && running_; ++i) {
      const auto found = callbacks_.find(events[static_cast<std::size_t>(i)].data.fd);
      if (found == callbacks_.end()) continue;  // unwatched by an earlier callback
      const std::shared_ptr<Callback> callback = found->second;
      (*callback)(events[static_cast<std::size_t>(i)].events);
    }
  }
  return Done{};
}

SysResult<Timer> Timer::create() {
  const int fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (fd < 0) return errno_error("timerfd_create");
  return Timer(Fd(fd));
}

void Timer::arm(TimePoint at) {
  using namespace std::chrono;
  auto since = duration_cast<nanoseconds>(at.time_since_epoch());
  if (since.count() <= 0) since = nanoseconds(1);  // an all-zero value would disarm it
  itimerspec spec{};
  spec.it_value.tv_sec = static_cast<time_t>(since.count() / 1000000000);
  spec.it_value.tv_nsec = static_cast<long>(since.count() % 1000000000);
  ::timerfd_settime(fd_.get(), TFD_TIMER_ABSTIME, &spec, nullptr);
}

void Timer::disarm() {
  itimerspec spec{};
  ::timerfd_settime(fd_.get(), 0, &spec, nullptr);
}

void Timer::acknowledge() {
  std::uint64_t expirations = 0;
  [[maybe_unused]] const ssize_t n = ::read(fd_.get(), &expirations, sizeof expirations);
}

SysResult<SignalSet> SignalSet::block(std::initializer_list<int> signals) {
  sigset_t set;
  sigemptyset(&set);
  for (int s : signals) sigaddset(&set, s);
  if (int err = ::pthread_sigmask(SIG_BLOCK, &set, nullptr); err != 0) return errno_error(err, "pthread_sigmask");
  const int fd = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) return errno_error("signalfd");
  return SignalSet(Fd(fd));
}

std::optional<int> SignalSet::take() {
  signalfd_siginfo info{};
  if (::read(fd_.get(), &info, sizeof info) != static_cast<ssize_t>(sizeof info)) return std::nullopt;
  return static_cast<int>(info.ssi_signo);
}

SysResult<Wakeup> Wakeup::create() {
  const int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (fd < 0) return errno_error("eventfd");
  return Wakeup(Fd(fd));
}

void Wakeup::notify() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(fd_.get(), &one, sizeof one);
}

void Wakeup::drain() {
  std::uint64_t count = 0;
  [[maybe_unused]] const ssize_t n = ::read(fd_.get(), &count, sizeof count);
}

}  // namespace vipkit::vrrp::sys
