#pragma once
// --restart-cmd of vipctl cluster upgrade: a template such as
// `ssh {host} systemctl restart redis@{port}`, checked once when the
// options are read, then filled in per node. Pure.
//
// Quoting: the filled-in text is run by `/bin/sh -c`. Values are inserted
// as they are, without quotes, so that a template may put {host} inside its
// own quotes (`ssh {host} 'systemctl restart redis@{port}'`) — quotes added
// here would break that. What keeps the shell safe is what a value may be:
// host and port come from CLUSTER NODES, that is from the network, so a
// host must be an IPv4/IPv6 address or a DNS name (letters, digits, '.',
// '-', ':', not starting with '-', which ssh would read as an option), and
// a port a number 1..65535. None of those characters means anything to
// sh, inside or outside quotes; anything else is refused, never escaped.
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace vipkit::vipctl {

struct RestartCommandError {
  std::string message;  // one line, for stderr
};

// A template that parse_restart_command accepted.
struct RestartCommand {
  std::string text;
};

// Placeholders: {host}, {port}; {{ and }} for a literal brace (a shell
// brace expansion or an awk program). An empty (or blank) command, an
// unknown {name}, a '{' never closed and a lone '}' are refused.
Result<RestartCommand, RestartCommandError> parse_restart_command(std::string_view text);

// The command for one node; refused when host or port is not plain (above).
Result<std::string, RestartCommandError> fill_restart_command(const RestartCommand& command, std::string_view host,
                                                             int port);

}  // namespace vipkit::vipctl
