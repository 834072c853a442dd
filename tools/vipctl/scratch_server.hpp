#pragma once
// A private, temporary redis-server holding a snapshot's data, so the
// snapshot can be read with DUMP/PTTL like any live Redis without parsing
// RDB files ourselves (every RDB version and encoding is Redis's business).
//
// It lives in a fresh mkdtemp directory (mode 0700) with a copy of the RDB
// as its dbfilename — the original is never opened for writing — and
// listens only on a unix socket there (port 0: no TCP), with no persistence
// (save "", appendonly no). It is killed and the directory removed when the
// object goes, and also when vipctl gets SIGTERM, SIGINT or SIGHUP
// (install_scratch_signal_cleanup); the child gets SIGKILL if vipctl dies
// any other way (PR_SET_PDEATHSIG), though its directory then stays.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>

#include "base/result.hpp"
#include "redis/endpoint.hpp"

namespace vipkit::vipctl {

struct ScratchError {
  std::string message;
};
template <class T>
using ScratchResult = vipkit::Result<T, ScratchError>;

// The redis-server to run: a path with a '/' as given, else looked up on
// PATH. nullopt when not found or not executable.
std::optional<std::string> find_redis_server(const std::string& name);

class ScratchServer {
 public:
  // Copies `rdb` in, starts `redis_server` on it and waits until the data is
  // loaded (PING answers PONG, not LOADING), at most `load_timeout`.
  static ScratchResult<std::unique_ptr<ScratchServer>> start(const std::string& redis_server,
                                                             const std::string& rdb,
                                                             std::chrono::milliseconds load_timeout);
  ~ScratchServer();
  ScratchServer(const ScratchServer&) = delete;
  ScratchServer& operator=(const ScratchServer&) = delete;

  const redis::Endpoint& endpoint() const { return endpoint_; }
  const std::string& directory() const { return dir_; }
  pid_t pid() const { return pid_; }
  // Kill the server and remove its directory (idempotent).
  void stop();

 private:
  ScratchServer(std::string dir, pid_t pid);
  std::string dir_;
  pid_t pid_ = -1;
  redis::Endpoint endpoint_;
};

// SIGTERM/SIGINT/SIGHUP: kill the running scratch server, remove its
// directory, then die of the signal as before. Call once, from main's side.
void install_scratch_signal_cleanup();

}  // namespace vipkit::vipctl
