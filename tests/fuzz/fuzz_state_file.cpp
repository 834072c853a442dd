// libFuzzer target: a state file (STATE_DIR/NAME.json: torn, hand-edited,
// written by another version) loads as a document or an error naming the
// file, never an exception; a writer's read of it (read_state) and typed
// reads of its fields (common/json_fields) never throw either.
#include <cstdint>
#include <cstdlib>

#include "common/json_fields.hpp"
#include "common/state_file.hpp"
#include "input_file.hpp"

using namespace vipkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fuzz::InputDirectory directory;
  directory.write("fuzz.json", data, size);

  const auto loaded = common::load_state(directory.path(), "fuzz");
  const nlohmann::json state = common::read_state(directory.path(), "fuzz");
  if (!state.is_object()) std::abort();
  if (loaded) {
    common::JsonFields fields(loaded.value(), "state file");
    const nlohmann::json* last = fields.require({"last"}).object("last");
    (void)fields.array("history");
    if (last != nullptr) {
      common::JsonFields last_fields(*last, "state file, \"last\"");
      for (const char* key : {"time", "state", "action", "reason", "result"}) (void)last_fields.text(key);
      (void)last_fields.integer("priority");
      (void)last_fields.boolean("ok");
    }
    (void)common::json_text(loaded.value(), 2);
  }
  return 0;
}
