#include "common/instance_name.hpp"

#include <fmt/format.h>

#include "common/outside_text.hpp"

namespace vipkit::common {

namespace {
bool allowed(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-' || c == '@' || c == ':' || c == '+';
}
}  // namespace

std::optional<std::string> instance_name_problem(std::string_view name) {
  if (name.empty()) return "empty instance name";
  const std::string shown = printable(name, 40);
  if (name.size() > max_instance_name) {
    return fmt::format("instance name {} is too long (at most {} bytes)", shown, max_instance_name);
  }
  for (const char c : name) {
    if (!allowed(c)) {
      return fmt::format("instance name {} cannot be used as a file name (letters, digits and . _ - @ : + only)",
                         shown);
    }
  }
  if (name.front() == '.' || name.front() == '-') {
    return fmt::format("instance name {} cannot be used as a file name (starts with {})", shown, name.front());
  }
  return std::nullopt;
}

}  // namespace vipkit::common
