#pragma once
// Load a captured reply from tests/unit/fixtures.
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "redis/reply.hpp"

namespace vipkit::test {

inline std::string fixture(const std::string& name) {
  std::ifstream in(std::string(VIPKIT_FIXTURES) + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// redis-cli --json renders RESP: bulk strings as strings, integers as numbers.
inline redis::Reply reply_from_json(const nlohmann::json& j) {
  if (j.is_string()) return redis::Reply::make_string(j.get<std::string>());
  if (j.is_number_integer()) return redis::Reply::make_integer(j.get<long long>());
  if (j.is_array()) {
    std::vector<redis::Reply> elements;
    for (const auto& e : j) elements.push_back(reply_from_json(e));
    return redis::Reply::make_array(std::move(elements));
  }
  return redis::Reply{};
}

inline redis::Reply json_fixture(const std::string& name) {
  return reply_from_json(nlohmann::json::parse(fixture(name)));
}

}  // namespace vipkit::test
