#pragma once
// A whole reply field as a number: all of it, or nothing. Redis writes
// numbers in INFO and CLUSTER NODES as plain decimal text, and anything else
// there (a suffix, a sign where none belongs, an overflow) is another
// program's reply, not a value to half-read.
#include <charconv>
#include <optional>
#include <string_view>

namespace vipkit::redis {

template <class Int>
std::optional<Int> to_number(std::string_view text) {
  Int value{};
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace vipkit::redis
