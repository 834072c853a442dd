#pragma once
// An owned copy of a RESP2 reply, so parsers are pure functions of values
// and can be unit-tested without hiredis or a socket.
#include <cstdint>
#include <string>
#include <vector>

namespace vipkit::redis {

struct Reply {
  enum class Type { string, status, error, integer, nil, array };
  Type type = Type::nil;
  std::string str;             // string, status, error
  long long integer = 0;       // integer
  std::vector<Reply> elements; // array

  static Reply make_string(std::string s) { return {Type::string, std::move(s), 0, {}}; }
  static Reply make_status(std::string s) { return {Type::status, std::move(s), 0, {}}; }
  static Reply make_error(std::string s) { return {Type::error, std::move(s), 0, {}}; }
  static Reply make_integer(long long i) { return {Type::integer, {}, i, {}}; }
  static Reply make_array(std::vector<Reply> e) { return {Type::array, {}, 0, std::move(e)}; }
};

}  // namespace vipkit::redis
