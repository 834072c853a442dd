#include "vipctl/switchover_render.hpp"

#include <fmt/format.h>

#include "vipctl/step_render.hpp"

namespace vipkit::vipctl {

nlohmann::json switchover_json(const SwitchoverReport& r) {
  return {{"op", std::string(to_token(r.op))},
          {"result", std::string(to_token(r.result))},
          {"ok", (r.result == SwitchResult::switched || r.result == SwitchResult::already) && r.reason.empty()},
          {"reason", r.reason},
          {"from", r.from},
          {"to", r.to},
          {"method", std::string(to_token(r.method))},
          {"vip_mover", r.mover},
          {"preflight", checks_json(r.preflight.checks)},
          {"steps", steps_json(r.steps)},
          {"write_pause_ms", r.write_pause ? nlohmann::json(r.write_pause->count()) : nlohmann::json(nullptr)},
          {"total_ms", r.total.count()}};
}

std::string switchover_text(const SwitchoverReport& r) {
  std::string out = fmt::format("{} {} -> {} (method {}, VIP mover {})\n", to_token(r.op), r.from, r.to,
                                to_token(r.method), r.mover);
  out += checks_text(r.preflight.checks);
  out += steps_text(r.steps);
  out += fmt::format("result: {}{}", to_token(r.result), r.reason.empty() ? "" : " (" + r.reason + ")");
  if (r.write_pause) out += fmt::format(", write pause {} ms on the old master", r.write_pause->count());
  out += fmt::format(", {} ms in all\n", r.total.count());
  if (r.result == SwitchResult::rollback_failed) {
    out += "The rollback did not complete: check `vipctl status` and act (see the steps above).\n";
  }
  return out;
}

}  // namespace vipkit::vipctl
