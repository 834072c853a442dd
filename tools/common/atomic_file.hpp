#pragma once
// Replace a small file atomically (temp file + rename): a reader — or a
// crash — never sees half of it.
#include <string>

#include "redis/result.hpp"

namespace vipkit::common {

redis::Status write_file_atomically(const std::string& path, const std::string& content);

}  // namespace vipkit::common
