#include <catch2/catch.hpp>

#include "vipctl/shell_run.hpp"

using vipkit::vipctl::last_lines;
using vipkit::vipctl::shell_run_text;
using vipkit::vipctl::ShellRun;
using std::chrono::milliseconds;

TEST_CASE("shell run: the last lines of output, blank ones and trailing spaces dropped, joined for one log line") {
  CHECK(last_lines("", 3).empty());
  CHECK(last_lines("\n\n  \n", 3).empty());
  CHECK(last_lines("one\ntwo\n", 3) == "one | two");
  CHECK(last_lines("a\nb\n\nc  \r\nd\n", 2) == "c | d");
  CHECK(last_lines("no newline at the end", 1) == "no newline at the end");
}

TEST_CASE("shell run: the step log line says how the command ended, then what it printed last") {
  ShellRun r;
  r.started = true;
  r.exit_code = 0;
  CHECK(shell_run_text(r, milliseconds(5000)) == "exit 0");
  r.exit_code = 3;
  r.output_tail = "restart: no such unit";
  CHECK(shell_run_text(r, milliseconds(5000)) == "exit 3: restart: no such unit");
  r.exit_code = -1;
  r.signal = 9;
  r.output_tail.clear();
  CHECK(shell_run_text(r, milliseconds(5000)) == "killed by signal 9");
  r.timed_out = true;
  r.output_tail = "waiting";
  CHECK(shell_run_text(r, milliseconds(5000)) == "timed out after 5000 ms, killed: waiting");
  ShellRun not_started;
  not_started.error = "Resource temporarily unavailable";
  CHECK(shell_run_text(not_started, milliseconds(5000)) == "could not start /bin/sh: Resource temporarily unavailable");
}
