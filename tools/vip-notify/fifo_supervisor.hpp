#pragma once
// keepalived 2.2.7 starts its vrrp_notify_fifo_script once and never again:
// when the script exits it logs "vrrp notify fifo script terminated" and
// goes on writing events nobody reads (seen on the real keepalived, and in
// its vrrp_daemon.c). A reader that crashed would leave every later
// transition on that host unapplied until keepalived restarts.
//
// So the process keepalived starts only supervises: the reader runs in a
// child, and a child that dies of a signal (a crash, an abort, kill -9, the
// OOM killer) or stalls is restarted, after 100 ms doubling to 5 s while it keeps
// dying young. The FIFO's unread lines wait in the pipe meanwhile: keepalived
// holds its end open. A child that exits (FIFO closed, speaker died, a stop
// signal, which the supervisor forwards) ends the supervisor with its code.
// What a restarted reader lacks: the last state of instances it has not
// heard of since; the next event for each brings it back.
//
// The reader's resident checks (health_watch.hpp) beat a heartbeat through
// a pipe at least once a second. When the reader dies, or its beats stop for
// reader_stall_bound (SIGSTOP, a hang), `reader_lost` runs first: it raises
// every track file, so keepalived never goes on trusting a check nobody
// makes; a stalled reader is then killed and restarted like a dead one.
#include <chrono>
#include <functional>

#include "common/log.hpp"

namespace vipkit::notify {

inline constexpr std::chrono::seconds reader_stall_bound{5};

// `reader(heartbeat_fd)` runs in the child; its return is the exit code.
int supervise_reader(const std::function<int(int heartbeat_fd)>& reader, const std::function<void()>& reader_lost,
                     const common::Logger& log);

}  // namespace vipkit::notify
