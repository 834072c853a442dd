#include "vipctl/switchover_render.hpp"

#include <fmt/format.h>

namespace vipkit::vipctl {

nlohmann::json switchover_json(const SwitchoverReport& r) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& c : r.preflight.checks) {
    checks.push_back({{"check", c.name}, {"status", std::string(to_token(c.status))}, {"detail", c.detail}});
  }
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : r.steps) {
    steps.push_back({{"name", s.name}, {"ok", s.ok}, {"ms", s.duration.count()}, {"detail", s.detail}});
  }
  return {{"op", std::string(to_token(r.op))},
          {"result", std::string(to_token(r.result))},
          {"ok", (r.result == SwitchResult::switched || r.result == SwitchResult::already) && r.reason.empty()},
          {"reason", r.reason},
          {"from", r.from},
          {"to", r.to},
          {"method", std::string(to_token(r.method))},
          {"vip_mover", r.mover},
          {"preflight", checks},
          {"steps", steps},
          {"write_pause_ms", r.write_pause ? nlohmann::json(r.write_pause->count()) : nlohmann::json(nullptr)},
          {"total_ms", r.total.count()}};
}

std::string switchover_text(const SwitchoverReport& r) {
  std::string out = fmt::format("{} {} -> {} (method {}, VIP mover {})\n", to_token(r.op), r.from, r.to,
                                to_token(r.method), r.mover);
  out += "preflight:\n";
  for (const auto& c : r.preflight.checks) {
    out += fmt::format("  {:<8} {:<22} {}\n", to_token(c.status), c.name, c.detail);
  }
  if (!r.steps.empty()) {
    out += "steps:\n";
    for (const auto& s : r.steps) {
      out += fmt::format("  {:<6} {:<20} {:>6} ms  {}\n", s.ok ? "ok" : "FAILED", s.name, s.duration.count(), s.detail);
    }
  }
  out += fmt::format("result: {}{}", to_token(r.result), r.reason.empty() ? "" : " (" + r.reason + ")");
  if (r.write_pause) out += fmt::format(", write pause {} ms on the old master", r.write_pause->count());
  out += fmt::format(", {} ms in all\n", r.total.count());
  if (r.result == SwitchResult::rollback_failed) {
    out += "The rollback did not complete: check `vipctl status` and act (see the steps above).\n";
  }
  return out;
}

}  // namespace vipkit::vipctl
