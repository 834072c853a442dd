#pragma once
// Run one operator-given command (vipctl cluster upgrade's --restart-cmd,
// filled in) with /bin/sh -c, bounded by a timeout, and keep the tail of
// what it printed for the step log. The I/O edge; last_lines is the pure
// part.
//
// The command's stdout and stderr both go to one pipe read here: vipctl's
// own stdout stays clean for --json, and the operator still sees what a
// failing command said. The wait ends when the shell exits, not at EOF on
// the pipe: a restart command typically leaves a daemon behind that
// inherited the pipe and keeps it open.
#include <chrono>
#include <string>
#include <string_view>

namespace vipkit::vipctl {

struct ShellRun {
  bool started = false;    // fork succeeded
  bool timed_out = false;  // killed (its process group, SIGKILL) at the timeout
  int exit_code = -1;      // the shell's exit status; -1 when killed by a signal or not started
  int signal = 0;          // the signal that ended it, if any
  std::string output_tail; // its last lines of output (stdout and stderr)
  std::string error;       // why it did not start (errno text)
};

ShellRun run_shell(const std::string& command, std::chrono::milliseconds timeout);

// One line for the step log: "exit 0", "exit 3: <tail>", "killed by signal 9",
// "timed out after 5000 ms: <tail>".
std::string shell_run_text(const ShellRun& run, std::chrono::milliseconds timeout);

// The last `count` non-empty lines of `text`, joined with " | " (one log
// line), each trimmed of trailing whitespace. Pure.
std::string last_lines(std::string_view text, std::size_t count);

}  // namespace vipkit::vipctl
