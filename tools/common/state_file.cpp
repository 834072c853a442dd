#include "common/state_file.hpp"

#include <cerrno>
#include <filesystem>
#include <fstream>

#include "common/atomic_file.hpp"
#include "common/json_fields.hpp"

namespace vipkit::common {

std::string state_path(const std::string& dir, const std::string& instance) { return dir + "/" + instance + ".json"; }

IoResult<nlohmann::json> load_state(const std::string& state_dir, const std::string& instance) {
  const std::string path = state_path(state_dir, instance);
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) return nlohmann::json::object();
    return errno_error("state file " + path);
  }
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    // "[json.exception.parse_error.101] parse error at line 3, column 1: ...";
    // a number too large for a double (1e400) is out_of_range.406, not a
    // parse_error.
    std::string why = e.what();
    if (const auto bracket = why.find("] "); why.starts_with("[") && bracket != std::string::npos) {
      why = why.substr(bracket + 2);
    }
    return IoError{EINVAL, "state file " + path + " is not JSON: " + why};
  }
}

nlohmann::json read_state(const std::string& state_dir, const std::string& instance) {
  auto doc = load_state(state_dir, instance);
  return doc && doc->is_object() ? doc.value() : nlohmann::json::object();
}

IoStatus record_transition(const std::string& state_dir, const std::string& instance,
                           const nlohmann::json& transition) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec) return IoError{ec.value(), "mkdir " + state_dir + ": " + ec.message()};

  nlohmann::json doc = read_state(state_dir, instance);
  doc["instance"] = instance;
  doc["last"] = transition;
  auto& history = doc["history"];
  if (!history.is_array()) history = nlohmann::json::array();
  history.push_back(transition);
  while (history.size() > state_history_length) history.erase(history.begin());

  return write_file_atomically(state_path(state_dir, instance), json_text(doc, 2) + "\n");
}

}  // namespace vipkit::common
