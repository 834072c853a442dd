#pragma once
// Files that must still be there, whole, after a power cut once we have said
// so: a snapshot (it can be the only remaining copy of writes a re-point
// discards), the preference and state files. The data is fsync'd before the
// file is given its name or called saved, and the directory after a name
// was added or replaced: fsync(2) of a file "does not necessarily ensure
// that the entry in the directory containing the file has also reached
// disk". A failed fsync is a failure, returned with its errno text: the
// kernel may already have dropped the dirty pages, so trying again would
// report success for data that is gone.
#include <string>

#include "base/io_error.hpp"

namespace vipkit::ha {

// fsync the open `fd` (named `path` in the error).
IoStatus sync_fd(int fd, const std::string& path);
// fsync the file `path` (opened read-only: Linux flushes the inode).
IoStatus sync_file(const std::string& path);
// fsync the directory `dir` itself, making the names in it durable.
IoStatus sync_directory(const std::string& dir);

}  // namespace vipkit::ha
