#include "vipctl/upgrade_state.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "vipctl/cluster_status.hpp"

namespace vipkit::vipctl {

std::string upgrade_state_text(const UpgradeState& s) {
  const nlohmann::json j = {{"seed", s.seed}, {"original_masters", s.original_masters},
                            {"restarted", s.restarted}};
  return j.dump(2) + "\n";
}

namespace {

// `key` as an array of node ids into `out`; the error, or "" when it holds.
std::string read_ids(const nlohmann::json& j, const char* key, std::vector<std::string>& out) {
  const auto ids = j.find(key);
  if (ids == j.end() || !ids->is_array()) return fmt::format("\"{}\" missing or not an array", key);
  for (const auto& id : *ids) {
    if (!id.is_string() || id.get<std::string>().empty()) {
      return fmt::format("\"{}\" holds something other than node ids", key);
    }
    out.push_back(id.get<std::string>());
  }
  return "";
}

}  // namespace

Result<UpgradeState, std::string> parse_upgrade_state(std::string_view text) {
  const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return std::string("not a JSON object");
  UpgradeState s;
  const auto seed = j.find("seed");
  if (seed != j.end()) {
    if (!seed->is_string()) return std::string("\"seed\" is not a string");
    s.seed = seed->get<std::string>();
  }
  if (auto error = read_ids(j, "original_masters", s.original_masters); !error.empty()) return error;
  if (s.original_masters.empty()) return std::string("\"original_masters\" is empty");
  // Written by every run since it was added; a file from before has none.
  if (j.contains("restarted")) {
    if (auto error = read_ids(j, "restarted", s.restarted); !error.empty()) return error;
  }
  return s;
}

std::string upgrade_state_path(const std::string& state_file, const std::string& backup_dir) {
  if (!state_file.empty()) return state_file;
  if (backup_dir.empty()) return "";
  return backup_dir + (backup_dir.back() == '/' ? "" : "/") + "cluster-upgrade-state.json";
}

std::vector<std::string> original_masters_of(const ClusterStatus& status) {
  std::vector<std::string> out;
  for (const auto& m : status.members) {
    if (m.listed.is_master() && !m.listed.slots.empty()) out.push_back(m.listed.id);
  }
  return out;
}

}  // namespace vipkit::vipctl
