#pragma once
// Records the named steps of a procedure (promote, takeover, snapshot...):
// each step's duration, result and detail — Redis's own error text on
// failure — for the log line, the state file and vipctl's output.
#include <chrono>
#include <string>

#include "ha/procedures.hpp"
#include "redis/connection.hpp"

namespace vipkit::ha {

inline milliseconds since(redis::Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(redis::Clock::now() - start);
}

class StepRecorder {
 public:
  explicit StepRecorder(Outcome& outcome) : outcome_(outcome) {}

  bool record(const std::string& name, redis::Clock::time_point start, bool ok, std::string detail) {
    outcome_.steps.push_back(Step{name, ok, since(start), std::move(detail)});
    return ok;
  }
  // Runs `action` (returning redis::Status) as step `name`.
  template <class Action>
  bool run(const std::string& name, Action&& action, std::string ok_detail = "") {
    const auto start = redis::Clock::now();
    const redis::Status status = action();
    return record(name, start, status.ok(), status ? std::move(ok_detail) : status.error().message);
  }
  // Opens a connection as step "connect" (recorded only when it fails).
  redis::Result<redis::Connection> connect(const Target& target, redis::Deadline deadline) {
    const auto start = redis::Clock::now();
    auto c = redis::Connection::open(target.endpoint, target.credentials, deadline);
    if (!c) record("connect", start, false, c.error().message);
    return c;
  }
  Outcome& fail(std::string reason) {
    outcome_.ok = false;
    outcome_.reason = std::move(reason);
    return outcome_;
  }
  Outcome& fail_connect(const redis::Error& error) { return fail(std::string(redis::to_token(error.code))); }
  Outcome& succeed() {
    outcome_.ok = true;
    outcome_.reason.clear();
    return outcome_;
  }

 private:
  Outcome& outcome_;
};

}  // namespace vipkit::ha
