#pragma once
// The last transitions of an instance, as JSON in STATE_DIR/NAME.json, for
// `vipctl status` and for operators. Written atomically (temp + rename).
#include <string>

#include <nlohmann/json.hpp>

#include "base/io_error.hpp"

namespace vipkit::common {

inline constexpr std::size_t state_history_length = 20;

// Record `transition` as "last" and append it to "history" (bounded).
IoStatus record_transition(const std::string& state_dir, const std::string& instance,
                           const nlohmann::json& transition);

// STATE_DIR/NAME.json
std::string state_path(const std::string& state_dir, const std::string& instance);

// The document as it is: an empty object when there is none yet; an error
// naming the file when it cannot be read or is not JSON (torn, hand-edited:
// EINVAL).
// It may be JSON of any shape: readers check what they use
// (common/json_fields.hpp).
IoResult<nlohmann::json> load_state(const std::string& state_dir, const std::string& instance);

// For writers: the document, or an empty object when there is none yet or
// it is unusable (a torn file must not stop a handler: it starts afresh).
nlohmann::json read_state(const std::string& state_dir, const std::string& instance);

}  // namespace vipkit::common
