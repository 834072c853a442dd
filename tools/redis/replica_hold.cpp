#include "redis/replica_hold.hpp"

#include "redis/commands.hpp"

namespace vipkit::redis {

namespace {

const std::string marker(hold_marker);
const std::string marker_prefix = marker + ":";

Status apply(Connection& c, const std::optional<ConfigChange>& change, Deadline deadline) {
  if (!change) return Done{};
  auto reply = c.command({"CONFIG", "SET", change->parameter, change->value}, deadline);
  if (!reply) return reply.error();
  return Done{};
}

}  // namespace

bool is_held(const HoldConfig& config) {
  return config.masterauth_marker || config.masteruser == marker ||
         config.masteruser.rfind(marker_prefix, 0) == 0;
}

std::optional<ConfigChange> hold_change(const HoldConfig& config) {
  if (is_held(config)) return std::nullopt;
  if (!config.masterauth_set) return ConfigChange{"masterauth", marker};
  return ConfigChange{"masteruser", config.masteruser.empty() ? marker : marker_prefix + config.masteruser};
}

std::optional<ConfigChange> release_change(const HoldConfig& config) {
  if (config.masterauth_marker) return ConfigChange{"masterauth", ""};
  if (config.masteruser == marker) return ConfigChange{"masteruser", ""};
  if (config.masteruser.rfind(marker_prefix, 0) == 0) {
    return ConfigChange{"masteruser", config.masteruser.substr(marker_prefix.size())};
  }
  return std::nullopt;
}

HoldConfig hold_config_from(std::string masteruser, const std::string& masterauth) {
  HoldConfig config;
  config.masteruser = std::move(masteruser);
  config.masterauth_marker = masterauth == marker;
  config.masterauth_set = !masterauth.empty() && !config.masterauth_marker;
  return config;
}

Result<HoldConfig> read_hold(Connection& c, Deadline deadline) {
  auto user = config_get(c, "masteruser", deadline);
  if (!user) return user.error();
  auto auth = config_get(c, "masterauth", deadline);
  if (!auth) return auth.error();
  return hold_config_from(std::move(user).value(), auth.value());
}

Status hold_replica(Connection& c, Deadline deadline) {
  auto config = read_hold(c, deadline);
  if (!config) return config.error();
  return apply(c, hold_change(config.value()), deadline);
}

Status release_replica(Connection& c, Deadline deadline) {
  auto config = read_hold(c, deadline);
  if (!config) return config.error();
  return apply(c, release_change(config.value()), deadline);
}

}  // namespace vipkit::redis
