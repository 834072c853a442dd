#include "vipctl/restart_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "common/outside_text.hpp"

namespace vipkit::vipctl {

namespace {

constexpr std::string_view known = "known: {host}, {port}; {{ and }} for literal braces";

bool plain_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
         c == ':';
}

// Walks the template once; `on_field` gets each placeholder name ("host",
// "port") and returns its value, or nullopt for an unknown one. The text
// is the template with its fields filled in, or the first error.
template <class OnField>
Result<std::string, RestartCommandError> expand(std::string_view text, OnField on_field) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool doubled = i + 1 < text.size() && text[i + 1] == c;
    if (c == '}') {
      if (!doubled) return RestartCommandError{fmt::format("--restart-cmd: a lone '}}' at offset {} ({})", i, known)};
      out += '}';
      ++i;
    } else if (c != '{') {
      out += c;
    } else if (doubled) {
      out += '{';
      ++i;
    } else {
      const auto close = text.find('}', i);
      if (close == std::string_view::npos) {
        return RestartCommandError{fmt::format("--restart-cmd: '{{' at offset {} is never closed ({})", i, known)};
      }
      const std::string_view name = text.substr(i + 1, close - i - 1);
      const std::optional<std::string> value = on_field(name);
      if (!value) return RestartCommandError{fmt::format("--restart-cmd: unknown placeholder {{{}}} ({})", name, known)};
      out += *value;
      i = close;
    }
  }
  return out;
}

std::optional<std::string> check_field(std::string_view name) {
  if (name == "host" || name == "port") return std::string(name);
  return std::nullopt;
}

}  // namespace

Result<RestartCommand, RestartCommandError> parse_restart_command(std::string_view text) {
  if (std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n'; })) {
    return RestartCommandError{"--restart-cmd: the command is empty"};
  }
  const auto checked = expand(text, check_field);
  if (!checked.ok()) return checked.error();
  return RestartCommand{std::string(text)};
}

Result<std::string, RestartCommandError> fill_restart_command(const RestartCommand& command, std::string_view host,
                                                             int port) {
  if (host.empty() || host.front() == '-' || !std::all_of(host.begin(), host.end(), plain_host_char)) {
    return RestartCommandError{fmt::format(
        "refusing to put host '{}' into --restart-cmd: not a plain address or host name",
        common::printable(host))};
  }
  if (port < 1 || port > 65535) {
    return RestartCommandError{fmt::format("refusing to put port {} into --restart-cmd: not 1..65535", port)};
  }
  const std::string port_text = std::to_string(port);
  return expand(command.text, [&](std::string_view name) -> std::optional<std::string> {
    if (name == "host") return std::string(host);
    if (name == "port") return port_text;
    return std::nullopt;
  });
}

}  // namespace vipkit::vipctl
