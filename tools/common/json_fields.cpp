#include "common/json_fields.hpp"

#include <fmt/format.h>

namespace vipkit::common {

JsonFields::JsonFields(const nlohmann::json& doc, std::string where) : doc_(doc), where_(std::move(where)) {
  if (!doc_.is_object()) fail(fmt::format("{} is not a JSON object (it is {})", where_, doc_.type_name()));
}

void JsonFields::fail(std::string what) {
  if (!error_) error_ = std::move(what);
}

JsonFields& JsonFields::require(std::initializer_list<const char*> keys) {
  if (!doc_.is_object()) return *this;
  for (const char* key : keys) {
    if (!doc_.contains(key)) fail(fmt::format("{}: \"{}\" is missing", where_, key));
  }
  return *this;
}

const nlohmann::json* JsonFields::field(const char* key, bool (nlohmann::json::*is)() const noexcept,
                                        const char* expected) {
  if (!doc_.is_object()) return nullptr;
  const auto it = doc_.find(key);
  if (it == doc_.end()) return nullptr;
  if (!((*it).*is)()) {
    fail(fmt::format("{}: \"{}\" is {}, expected {}", where_, key, it->type_name(), expected));
    return nullptr;
  }
  return &*it;
}

std::string JsonFields::text(const char* key, std::string fallback) {
  const auto* f = field(key, &nlohmann::json::is_string, "a string");
  return f ? f->get<std::string>() : fallback;
}

long long JsonFields::integer(const char* key, long long fallback) {
  const auto* f = field(key, &nlohmann::json::is_number_integer, "an integer");
  return f ? f->get<long long>() : fallback;
}

bool JsonFields::boolean(const char* key, bool fallback) {
  const auto* f = field(key, &nlohmann::json::is_boolean, "true or false");
  return f ? f->get<bool>() : fallback;
}

const nlohmann::json* JsonFields::object(const char* key) { return field(key, &nlohmann::json::is_object, "an object"); }

const nlohmann::json* JsonFields::array(const char* key) { return field(key, &nlohmann::json::is_array, "an array"); }

std::string json_text(const nlohmann::json& doc, int indent) {
  return doc.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace vipkit::common
