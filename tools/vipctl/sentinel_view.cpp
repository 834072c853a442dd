#include "vipctl/sentinel_view.hpp"

#include <fmt/format.h>

namespace vipkit::vipctl {

namespace {

const nlohmann::json* view_of(const IoResult<nlohmann::json>& answer) {
  if (!answer || !answer->is_object() || answer->value("leader", "") != "sentinel") return nullptr;
  const auto it = answer->find("sentinel");
  return it != answer->end() && it->is_object() ? &*it : nullptr;
}

std::string text(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end()) return "-";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace

bool sentinel_view_healthy(const IoResult<nlohmann::json>& answer) {
  const nlohmann::json* v = view_of(answer);
  if (v == nullptr) return false;
  const std::string reason = text(*v, "reason");
  return reason == "local-elected" || reason == "local-replica";
}

std::string sentinel_view_text(const IoResult<nlohmann::json>& answer, const std::string& socket) {
  if (!answer) return fmt::format("vipd ({}): {}\nhealth: unhealthy\n", socket, answer.error().message);
  const nlohmann::json* v = view_of(answer);
  if (v == nullptr) {
    return fmt::format("vipd ({}): no Sentinel view in its answer (not leader = sentinel, or no round yet)\n"
                       "health: unhealthy\n",
                       socket);
  }
  const nlohmann::json& a = *answer;
  std::string out = fmt::format("instance {} (leader = sentinel, master name {})\n", text(a, "instance"),
                                text(*v, "master_name"));
  std::string vips;
  if (a.contains("vips") && a["vips"].is_array()) {
    for (const auto& vip : a["vips"]) {
      if (!vips.empty()) vips += ',';
      vips += vip.is_string() ? vip.get<std::string>() : std::string("?");
    }
  }
  out += fmt::format("  vip         {} on {}: {} (present: {})\n", vips, text(a, "interface"),
                     text(a, "state") == "master" ? "held by this host" : "not held here", text(a, "vip_present"));
  out += fmt::format("  decision    {} ({}), fence {}\n", text(*v, "vip"), text(*v, "reason"), text(*v, "fence"));
  out += fmt::format("  elected     {} at epoch {}; {} of {} Sentinels answered with a view, {} vote(s) for us\n",
                     text(*v, "elected").empty() ? "none" : text(*v, "elected"), text(*v, "epoch"),
                     text(*v, "views"), text(*v, "configured"), text(*v, "votes"));
  out += fmt::format("  local Redis {}\n", text(*v, "local_role"));
  if (v->contains("sentinels") && (*v)["sentinels"].is_array()) {
    for (const auto& s : (*v)["sentinels"]) {
      if (s.is_object()) out += fmt::format("  sentinel    {}  {}\n", text(s, "address"), text(s, "answer"));
    }
  }
  if (!text(*v, "fence_error").empty() && text(*v, "fence_error") != "-") {
    out += fmt::format("  fence error {}\n", text(*v, "fence_error"));
  }
  out += fmt::format("health: {}\n", sentinel_view_healthy(answer) ? "healthy" : "unhealthy");
  return out;
}

}  // namespace vipkit::vipctl
