#pragma once
// The last transitions of an instance, as JSON in STATE_DIR/NAME.json, for
// `vipctl status` and for operators. Written atomically (temp + rename).
#include <string>

#include <nlohmann/json.hpp>

#include "redis/result.hpp"

namespace vipkit::common {

inline constexpr std::size_t state_history_length = 20;

// Record `transition` as "last" and append it to "history" (bounded).
redis::Status record_transition(const std::string& state_dir, const std::string& instance,
                                const nlohmann::json& transition);

// The whole document, or an empty object when there is none yet.
nlohmann::json read_state(const std::string& state_dir, const std::string& instance);

}  // namespace vipkit::common
