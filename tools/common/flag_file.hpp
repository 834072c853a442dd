#pragma once
// A keepalived track_file that holds 0 or 1, written atomically and only when
// its value changes (keepalived watches track files with inotify and acts on
// each write). Two kinds:
//  - the resident checks' DIR/NAME.alive and DIR/NAME.eligible
//    (vip-notify/health_watch.hpp), 1 while the check fails;
//  - the yield track_file (`yield-file`): 1 while this host holds the VIP
// for a Redis master that the peer's data is ahead of (ha::Plan::yield_vip),
// 0 otherwise. keepalived.conf tracks it with `weight 0`, so a 1 puts the
// instance in FAULT at once (keepalived watches track files with inotify):
// it drops the VIP and sends a priority-0 advert, and the peer takes over
// after its skew time, preempt or not, instead of waiting for this host's
// eligibility check to fail `fall` times and then a master-down timer.
//
// One writer each: the yield file under the instance lock (common/apply.hpp),
// a check's file from the health watch thread.
#include <string>

#include "base/io_error.hpp"

namespace vipkit::common {

// Pure: the file's content for a value.
std::string flag_file_content(bool raised);

// Make the file say `raised`, atomically (mode 0644: keepalived reads it), and
// only when it does not already: true when it was written.
IoResult<bool> set_flag_file(const std::string& path, bool raised);

}  // namespace vipkit::common
