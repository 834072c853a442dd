#include "vrrp/vipd/sentinel_listener.hpp"

#include <poll.h>

#include <algorithm>

#include "redis/connection.hpp"
#include "redis/sentinel_replies.hpp"

namespace vipkit::vipd {

using Clock = std::chrono::steady_clock;
using common::kv_value;

bool event_wakes(const redis::Reply& reply, std::string_view master_name) {
  using Type = redis::Reply::Type;
  if (reply.type != Type::array || reply.elements.size() != 3) return false;
  const auto& kind = reply.elements[0];
  if (kind.type != Type::string || kind.str != "message") return false;  // subscribe, pong
  const auto& channel = reply.elements[1];
  const auto& payload = reply.elements[2];
  if (channel.type != Type::string || payload.type != Type::string) return true;
  const auto known = std::find(std::begin(redis::sentinel_event_channels), std::end(redis::sentinel_event_channels),
                               channel.str) != std::end(redis::sentinel_event_channels);
  if (!known) return false;  // a channel we did not subscribe to: not a Sentinel event
  const auto event = redis::parse_sentinel_event(channel.str, payload.str);
  if (!event) return true;
  return event->master_name.empty() || event->master_name == master_name;
}

SentinelListeners::SentinelListeners(Settings settings, common::Logger log, Wake wake)
    : settings_(std::move(settings)), log_(std::move(log)), wake_(std::move(wake)) {}

SentinelListeners::~SentinelListeners() {
  stopping_ = true;
  if (stop_) stop_->notify();
  for (auto& thread : threads_) thread.join();
}

vrrp::sys::SysResult<Done> SentinelListeners::start() {
  auto stop = vrrp::sys::Wakeup::create();
  if (!stop) return stop.error();
  stop_.emplace(std::move(stop).value());
  for (const auto& sentinel : settings_.sentinels) threads_.emplace_back([this, sentinel] { run(sentinel); });
  return Done{};
}

bool SentinelListeners::pause(std::chrono::milliseconds pause) {
  pollfd p{stop_->fd(), POLLIN, 0};
  ::poll(&p, 1, static_cast<int>(pause.count()));
  return !stopping_;
}

void SentinelListeners::run(const redis::Endpoint& sentinel) {
  bool failure_logged = false;
  // Between attempts: long enough not to hammer a Sentinel that is down,
  // short against the reconcile interval that covers for it meanwhile.
  constexpr std::chrono::milliseconds retry{1000};
  while (listen_once(sentinel, failure_logged) && pause(retry)) {
  }
}

bool SentinelListeners::listen_once(const redis::Endpoint& sentinel, bool& failure_logged) {
  const auto& s = settings_;
  auto failed = [&](const std::string& error) {
    // Once per outage: a Sentinel down for an hour is one line, not 3,600.
    if (!failure_logged) {
      log_->warn("sentinel-listen instance={} sentinel={} error={}", s.instance, sentinel.to_string(),
                 kv_value(error));
    }
    failure_logged = true;
    return !stopping_;
  };
  auto connection = redis::Connection::open(sentinel, s.credentials, Clock::now() + s.timeout, stop_->fd());
  if (!connection) return stopping_ ? false : failed(connection.error().message);
  std::vector<std::string> subscribe{"SUBSCRIBE"};
  for (const auto channel : redis::sentinel_event_channels) subscribe.emplace_back(channel);
  // The confirmations (one per channel) are read below like any reply.
  if (auto sent = connection->send_unanswered(subscribe, Clock::now() + s.timeout); !sent) {
    return failed(sent.error().message);
  }
  if (failure_logged) log_->info("sentinel-listen instance={} sentinel={} state=subscribed", s.instance, sentinel.to_string());
  failure_logged = false;
  wake_("subscribed");  // events may have been missed while we were away

  auto heard = Clock::now();
  bool pinged = false;
  while (!stopping_) {
    // Everything hiredis already holds first: the socket will not say so.
    for (;;) {
      auto buffered = connection->buffered_reply();
      if (!buffered) return failed(buffered.error().message);
      if (!buffered.value()) break;
      if (event_wakes(*buffered.value(), s.master_name)) wake_(buffered.value()->elements[1].str);
    }
    pollfd fds[2] = {{connection->fd(), POLLIN, 0}, {stop_->fd(), POLLIN, 0}};
    const int ready = ::poll(fds, 2, static_cast<int>(s.idle.count()));
    if (stopping_) return false;
    if (ready > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      auto reply = connection->next_reply(Clock::now() + s.timeout);
      if (!reply) return failed(reply.error().message);
      heard = Clock::now();
      pinged = false;
      if (event_wakes(reply.value(), s.master_name)) wake_(reply.value().elements[1].str);
      continue;
    }
    if (Clock::now() - heard < s.idle) continue;
    if (pinged) return failed("no answer to PING within " + std::to_string(2 * s.idle.count()) + " ms");
    if (auto sent = connection->send_unanswered({"PING"}, Clock::now() + s.timeout); !sent) {
      return failed(sent.error().message);
    }
    pinged = true;
    heard = Clock::now();
  }
  return false;
}

}  // namespace vipkit::vipd
