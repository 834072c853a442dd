#include "common/state_file.hpp"

#include <filesystem>
#include <fstream>

#include "common/atomic_file.hpp"

namespace vipkit::common {

namespace {
std::string path_of(const std::string& dir, const std::string& instance) {
  return dir + "/" + instance + ".json";
}
}  // namespace

nlohmann::json read_state(const std::string& state_dir, const std::string& instance) {
  std::ifstream in(path_of(state_dir, instance));
  if (!in) return nlohmann::json::object();
  // A torn or hand-edited file must not stop the handler: start afresh.
  auto doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  return doc.is_object() ? doc : nlohmann::json::object();
}

redis::Status record_transition(const std::string& state_dir, const std::string& instance,
                                const nlohmann::json& transition) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec) return redis::Error{redis::ErrorCode::io, "mkdir " + state_dir + ": " + ec.message()};

  nlohmann::json doc = read_state(state_dir, instance);
  doc["instance"] = instance;
  doc["last"] = transition;
  auto& history = doc["history"];
  if (!history.is_array()) history = nlohmann::json::array();
  history.push_back(transition);
  while (history.size() > state_history_length) history.erase(history.begin());

  return write_file_atomically(path_of(state_dir, instance), doc.dump(2) + "\n");
}

}  // namespace vipkit::common
