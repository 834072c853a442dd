#pragma once
// An instance name becomes file names: DIR/NAME.conf, the state file, the
// lock, the yield file. Every entry (the keepalived FIFO, the generic notify
// form, --instance for vipctl, vip-notify and vipd) checks it here, once,
// so a name is never a path ("../../etc/passwd") nor longer than a file name
// may be.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace vipkit::common {

inline constexpr std::size_t max_instance_name = 128;

// Why `name` cannot name an instance, or nothing when it can: 1 to 128 of
// letters, digits and . _ - @ : +, not starting with . or -.
std::optional<std::string> instance_name_problem(std::string_view name);

}  // namespace vipkit::common
