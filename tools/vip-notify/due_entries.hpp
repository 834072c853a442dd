#pragma once
// The scheduling shared by vip-notify's per-instance probe threads
// (peer_watch, replica_guard_watch): each entry has its own `next` time; the
// thread sleeps until the earliest one (or a change), then takes those due.
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace vipkit::notify {

// With `lock` held: wait for an entry of `entries` to be due, or `stopping`,
// or a notification on `changed` (then nothing is due: the caller loops).
// Returns the due entries (name and shared entry), to run without the lock.
template <typename Entry>
std::vector<std::pair<std::string, std::shared_ptr<Entry>>> wait_due(
    std::unique_lock<std::mutex>& lock, std::condition_variable& changed, const bool& stopping,
    const std::map<std::string, std::shared_ptr<Entry>>& entries) {
  using Clock = std::chrono::steady_clock;
  std::optional<Clock::time_point> next;
  for (const auto& [name, e] : entries) next = next ? std::min(*next, e->next) : e->next;
  if (stopping) return {};
  if (!next) {
    changed.wait(lock);
    return {};
  }
  if (Clock::now() < *next) {
    changed.wait_until(lock, *next);
    return {};
  }
  std::vector<std::pair<std::string, std::shared_ptr<Entry>>> due;
  for (const auto& [name, e] : entries) {
    if (e->next <= Clock::now()) due.emplace_back(name, e);
  }
  return due;
}

}  // namespace vipkit::notify
