#include "vrrp/vipd/control_protocol.hpp"

#include "common/apply.hpp"
#include "common/json_fields.hpp"

namespace vipkit::vipd {

std::string_view to_token(Command command) {
  switch (command) {
    case Command::status: return "status";
    case Command::promote: return "promote";
    case Command::demote: return "demote";
  }
  return "unknown";
}

Result<Command, std::string> parse_request(std::string_view line) {
  const auto request = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (request.is_discarded()) return std::string("request is not JSON");
  if (!request.is_object()) return std::string("request is not a JSON object");
  const auto cmd = request.find("cmd");
  if (cmd == request.end() || !cmd->is_string()) return std::string("request has no \"cmd\" string");
  const std::string& name = cmd->get_ref<const std::string&>();
  for (Command c : {Command::status, Command::promote, Command::demote}) {
    if (name == to_token(c)) return c;
  }
  return "unknown command '" + name + "' (status, promote, demote)";
}

std::string status_response(const StatusReport& r) {
  nlohmann::json rejected = nlohmann::json::object();
  for (const auto& [token, n] : r.counters.rejected) rejected[token] = n;
  auto node = [](const std::optional<ha::NodeState>& n) {
    return n ? common::node_json(*n) : nlohmann::json(nullptr);
  };
  const nlohmann::json doc = {
      {"ok", true},
      {"instance", r.instance},
      {"state", r.state},
      {"priority", r.priority},
      {"effective_priority", r.effective_priority},
      {"preference", r.preference},
      {"interface", r.interface},
      {"vrid", r.vrid},
      {"version", r.version},
      {"vips", r.vips},
      {"vip_present", r.vip_present},
      {"master_ip", r.master_ip},
      {"health", {{"healthy", r.healthy}, {"reason", r.health_reason}, {"local", node(r.local)}, {"peer", node(r.peer)}}},
      {"counters", {{"adverts_rx", r.counters.adverts_rx}, {"adverts_tx", r.counters.adverts_tx},
                    {"adverts_held", r.counters.adverts_held}, {"adverts_muted", r.counters.adverts_muted},
                    {"rejected", rejected}}},
      {"last_transition", r.last_transition},
  };
  return common::json_text(doc);
}

std::string state_response(std::string_view state) {
  return common::json_text({{"ok", true}, {"state", std::string(state)}});
}

std::string error_response(std::string_view error) {
  return common::json_text({{"ok", false}, {"error", std::string(error)}});
}

IoResult<Response> parse_response(const nlohmann::json& doc) {
  common::JsonFields fields(doc, "vipd's answer");
  Response r;
  r.ok = fields.require({"ok"}).boolean("ok");
  r.error = fields.text("error");
  r.state = fields.text("state");
  r.instance = fields.text("instance");
  r.master_ip = fields.text("master_ip");
  r.priority = fields.integer("priority");
  r.effective_priority = fields.integer("effective_priority");
  r.preference = fields.integer("preference");
  if (fields.error()) return IoError{EPROTO, *fields.error()};
  return r;
}

}  // namespace vipkit::vipd
