#pragma once
// Exit codes shared by every vipkit binary (documented in each --help).
namespace vipkit::common {

inline constexpr int exit_ok = 0;         // healthy / done / nothing to do
inline constexpr int exit_failed = 1;     // unhealthy, refused, or an action failed
inline constexpr int exit_usage = 2;      // bad flag, bad config file, unreadable secret
inline constexpr int exit_operator = 3;   // vipctl: a switchover failed and so did its rollback: act now

}  // namespace vipkit::common
