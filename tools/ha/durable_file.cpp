#include "ha/durable_file.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace vipkit::ha {

namespace {

IoStatus sync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | flags);
  if (fd < 0) return errno_error("open " + path);
  auto synced = sync_fd(fd, path);
  ::close(fd);
  return synced;
}

}  // namespace

IoStatus sync_fd(int fd, const std::string& path) {
  if (::fsync(fd) != 0) return errno_error("fsync " + path);
  return Done{};
}

IoStatus sync_file(const std::string& path) { return sync_path(path, 0); }

IoStatus sync_directory(const std::string& dir) { return sync_path(dir.empty() ? "." : dir, O_DIRECTORY); }

}  // namespace vipkit::ha
