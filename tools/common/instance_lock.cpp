#include "common/instance_lock.hpp"

#include <filesystem>

namespace vipkit::common {

IoResult<InstanceLock> InstanceLock::acquire(const std::string& state_dir, const std::string& instance,
                                             std::chrono::milliseconds wait) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec) return IoError{ec.value(), "mkdir " + state_dir + ": " + ec.message()};
  auto lock = FileLock::acquire(state_dir + "/" + instance + ".lock", 0600, wait);
  if (!lock) return lock.error();
  return InstanceLock(std::move(lock.value()));
}

}  // namespace vipkit::common
