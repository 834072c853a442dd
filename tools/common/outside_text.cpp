#include "common/outside_text.hpp"

#include <fmt/format.h>

namespace vipkit::common {

std::string printable(std::string_view value, std::size_t limit) {
  std::string out;
  const std::size_t shown = value.size() > limit ? limit : value.size();
  out.reserve(shown + 16);
  for (const char ch : value.substr(0, shown)) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte < 0x20 || byte >= 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += ch;
    }
  }
  if (shown < value.size()) out += fmt::format("...({} bytes)", value.size());
  return out;
}

std::string printable_message(std::string_view message, std::size_t word_limit) {
  std::string out;
  std::size_t i = 0;
  while (i < message.size()) {
    std::size_t end = message.find(' ', i);
    if (end == std::string_view::npos) end = message.size();
    out += printable(message.substr(i, end - i), word_limit);
    if (end < message.size()) out += ' ';
    i = end + 1;
  }
  return out;
}

}  // namespace vipkit::common
