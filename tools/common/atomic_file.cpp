#include "common/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>

#include "ha/durable_file.hpp"

namespace vipkit::common {

namespace {

IoError io_error(const std::string& what, const std::string& path) { return errno_error(what + " " + path); }

// A temp name of its own for every call: pid + a per-process counter, and
// O_EXCL, so two threads of one process (vipd's) writing the same file never
// write into, or rename away, each other's temp file.
std::atomic<unsigned> temp_counter{0};

}  // namespace

IoStatus write_file_atomically(const std::string& path, const std::string& content, std::optional<mode_t> mode) {
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; fd < 0 && attempt < 100; ++attempt) {
    tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(temp_counter++);
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode.value_or(0666));
    if (fd < 0 && errno != EEXIST) return io_error("create", tmp);
  }
  if (fd < 0) return io_error("create", tmp);
  auto fail = [&](const std::string& what) {
    IoError error = io_error(what, tmp);
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    return error;
  };
  for (std::size_t done = 0; done < content.size();) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("write");
    done += static_cast<std::size_t>(n);
  }
  // open() applied the umask; an explicit mode is meant exactly.
  if (mode && ::fchmod(fd, *mode) != 0) return fail("chmod");
  // The data on disk before the name points at it (ha/durable_file.hpp).
  if (::fsync(fd) != 0) return fail("fsync");
  const int closing = fd;
  fd = -1;
  if (::close(closing) != 0) return fail("close");
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("rename");
  return ha::sync_directory(std::filesystem::path(path).parent_path().string());
}

}  // namespace vipkit::common
