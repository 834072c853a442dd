#pragma once
// Text that came from outside (a FIFO line, a config value, an argument) on
// its way into a log line or an error message: control and non-ASCII bytes
// escaped as \xNN so a terminal or a log reader sees them for what they are,
// and a long value cut, with its full length said, so one bad line cannot
// flood a log.
#include <cstddef>
#include <string>
#include <string_view>

namespace vipkit::common {

inline constexpr std::size_t printable_limit = 200;

// "abc", "a\x01b", "aaaa...(100000 bytes)". A backslash is left as it is, so
// that text escaped once comes through a second pass (kv_value of an error
// message that quotes a value) unchanged.
std::string printable(std::string_view value, std::size_t limit = printable_limit);

// A whole message that quotes outside values (CLI11's, a parser's): every
// space-separated word printable() with `word_limit`, so a 5,000-digit port
// number is cut but the reason after it is kept.
std::string printable_message(std::string_view message, std::size_t word_limit = 64);

}  // namespace vipkit::common
