#pragma once
// `metrics-listen` (vipd) and `--metrics-listen` (vip-notify --fifo): one
// IPv4 address and port, "A.B.C.D:PORT" with PORT 1..65535, what civetweb's
// listening_ports takes (no "s"/"r" suffixes, no IPv6). Checked when the
// configuration is read, so a typo is a usage error, not a failed start.
#include <string>

namespace vipkit::common {

bool valid_listen_address(const std::string& text);

}  // namespace vipkit::common
