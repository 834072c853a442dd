#pragma once
// Typed reads of JSON that came from outside — a state file, vipd's control
// socket: nlohmann's value() and get() throw when a field has another type,
// and a hand-edited file or a broken peer must never make a tool crash. A
// missing field reads as the fallback; a field of another type (or a
// missing required one) reads as the fallback too and is recorded, so the
// caller reports one line naming the document and the field.
#include <initializer_list>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace vipkit::common {

class JsonFields {
 public:
  // `where` names the document in the error ("state file /x/r.json").
  JsonFields(const nlohmann::json& doc, std::string where);
  // It keeps a reference to `doc`: a temporary would dangle.
  JsonFields(nlohmann::json&&, std::string) = delete;

  // A missing one is an error too.
  JsonFields& require(std::initializer_list<const char*> keys);
  std::string text(const char* key, std::string fallback = {});
  long long integer(const char* key, long long fallback = 0);
  bool boolean(const char* key, bool fallback = false);
  // The field, when it is an object / an array; else nullptr (and an error
  // when it is present with another type).
  const nlohmann::json* object(const char* key);
  const nlohmann::json* array(const char* key);

  // The first problem: "WHERE is not a JSON object", "WHERE: "state" is a
  // number, expected a string", "WHERE: "last" is missing".
  const std::optional<std::string>& error() const { return error_; }

 private:
  const nlohmann::json* field(const char* key, bool (nlohmann::json::*is)() const noexcept, const char* expected);
  void fail(std::string what);

  const nlohmann::json& doc_;
  std::string where_;
  std::optional<std::string> error_;
};

// dump() that never throws: text from outside (a Redis error message, a
// reply from something that is not Redis) need not be UTF-8, and nlohmann
// throws on that; it is written with U+FFFD instead.
std::string json_text(const nlohmann::json& doc, int indent = -1);

}  // namespace vipkit::common
