#pragma once
// What a vipctl check found wrong: a stable token for scripts and alerts,
// and one line for the operator. `vipctl status` and `vipctl cluster status`
// report the same shape.
#include <string>

namespace vipkit::vipctl {

struct Finding {
  std::string reason;  // stable token: "two-masters", "replica-link-down", ...
  std::string detail;  // for the operator
};

}  // namespace vipkit::vipctl
