#include "ha/durable_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vipkit::ha {

namespace {

redis::Error fsync_error(const std::string& what, const std::string& path) {
  return redis::Error{redis::ErrorCode::io, what + " " + path + ": " + std::strerror(errno)};
}

redis::Status sync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | flags);
  if (fd < 0) return fsync_error("open", path);
  auto synced = sync_fd(fd, path);
  ::close(fd);
  return synced;
}

}  // namespace

redis::Status sync_fd(int fd, const std::string& path) {
  if (::fsync(fd) != 0) return fsync_error("fsync", path);
  return redis::Done{};
}

redis::Status sync_file(const std::string& path) { return sync_path(path, 0); }

redis::Status sync_directory(const std::string& dir) { return sync_path(dir.empty() ? "." : dir, O_DIRECTORY); }

}  // namespace vipkit::ha
