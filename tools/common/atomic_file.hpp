#pragma once
// Replace a small file atomically (temp file + rename): a reader — or a
// crash — never sees half of it. Durable once it returns: the temp file is
// fsync'd before the rename and the directory after it, so a power cut
// leaves the old content or the new, never an empty file; a failed fsync is
// an error (ha/durable_file.hpp).
#include <sys/types.h>

#include <optional>
#include <string>

#include "base/io_error.hpp"

namespace vipkit::common {

// `mode`: set on the file before it takes the name (else the umask's).
IoStatus write_file_atomically(const std::string& path, const std::string& content,
                               std::optional<mode_t> mode = std::nullopt);

}  // namespace vipkit::common
