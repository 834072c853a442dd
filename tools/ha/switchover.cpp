#include "ha/switchover.hpp"

#include <nlohmann/json.hpp>

namespace vipkit::ha {

namespace {
// A hand-made value of the wrong type must not throw out of a probe.
std::string string_field(const nlohmann::json& doc, const char* key) {
  const auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}
}  // namespace

std::string format_marker(const SwitchoverMarker& m) {
  return nlohmann::json{{"to", m.to}, {"from", m.from}, {"op", m.op}, {"by", m.by}, {"started_ms", m.started_ms}}
      .dump();
}

std::optional<SwitchoverMarker> parse_marker(std::string_view value, long long pttl_ms) {
  // PTTL: -2 no key, -1 no expiry. Only a marker that will expire by itself
  // may hold automation back.
  if (pttl_ms <= 0) return std::nullopt;
  const auto doc = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return std::nullopt;
  SwitchoverMarker m;
  m.to = string_field(doc, "to");
  if (m.to.empty()) return std::nullopt;
  m.from = string_field(doc, "from");
  m.op = string_field(doc, "op");
  m.by = string_field(doc, "by");
  const auto started = doc.find("started_ms");
  if (started != doc.end() && started->is_number_integer()) m.started_ms = started->get<long long>();
  return m;
}

std::vector<std::string> marker_set_command(const SwitchoverMarker& marker, std::chrono::milliseconds ttl,
                                            bool only_if_absent) {
  std::vector<std::string> argv = {"SET", std::string(switchover_key), format_marker(marker), "PX",
                                   std::to_string(ttl.count())};
  if (only_if_absent) argv.emplace_back("NX");
  return argv;
}

std::vector<std::string> marker_expire_command(std::chrono::milliseconds ttl) {
  return {"PEXPIRE", std::string(switchover_key), std::to_string(ttl.count())};
}

std::vector<std::string> marker_delete_command() { return {"DEL", std::string(switchover_key)}; }

}  // namespace vipkit::ha
