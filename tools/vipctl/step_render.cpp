#include "vipctl/step_render.hpp"

#include <fmt/format.h>

namespace vipkit::vipctl {

std::string checks_text(const std::vector<Check>& checks) {
  if (checks.empty()) return "";  // a switch through Sentinel has its checks among its steps
  std::string out = "preflight:\n";
  for (const auto& c : checks) out += fmt::format("  {:<8} {:<22} {}\n", to_token(c.status), c.name, c.detail);
  return out;
}

std::string steps_text(const std::vector<ha::Step>& steps) {
  if (steps.empty()) return "";
  std::string out = "steps:\n";
  for (const auto& s : steps) {
    out += fmt::format("  {:<6} {:<20} {:>6} ms  {}\n", s.ok ? "ok" : "FAILED", s.name, s.duration.count(), s.detail);
  }
  return out;
}

nlohmann::json checks_json(const std::vector<Check>& checks) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : checks) {
    out.push_back({{"check", c.name}, {"status", std::string(to_token(c.status))}, {"detail", c.detail}});
  }
  return out;
}

nlohmann::json steps_json(const std::vector<ha::Step>& steps) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : steps) {
    out.push_back({{"name", s.name}, {"ok", s.ok}, {"ms", s.duration.count()}, {"detail", s.detail}});
  }
  return out;
}

}  // namespace vipkit::vipctl
