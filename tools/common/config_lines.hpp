#pragma once
// Point a configuration fault at its line: "FILE:LINE: KEY: REASON".
// CLI11 2.1 keeps no line numbers, so the config file is read once more to
// find where each key is set (keys are the long option names).
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vipkit::common {

struct ConfigProblem {
  std::string key;  // long option name without dashes
  std::string reason;
};

// Where each key is first set: `key = value` lines; comments (# ;) and
// [sections] skipped.
std::map<std::string, int> config_key_lines(std::istream& in);
std::map<std::string, int> config_key_lines(const std::string& path);

// CLI11 2.1 merges a key repeated on consecutive lines (comments and blank
// lines between are fine) into one list, but keeps only the first run of a
// key and drops, silently, any line that sets it again further down: a
// second `vip` or a third `sentinel` would vanish. For each such key, the
// lines it is set again on.
std::map<std::string, std::vector<int>> scattered_key_lines(std::istream& in);
std::map<std::string, std::vector<int>> scattered_key_lines(const std::string& path);

// CLI11 2.1 reports an unknown config key as "INI was not able to parse KEY":
// the key, or nullopt for any other message.
std::optional<std::string> unknown_config_key(std::string_view cli11_message);

// The option a CLI11 parse error names ("--vrid: Value 300 not in range…",
// "Could not convert: --nopreempt = maybe", "INI was not able to parse KEY")
// and the reason; key empty when it names none.
ConfigProblem problem_from_cli11(std::string_view message);

// "FILE:LINE: KEY: REASON" when the key is set in the file, else "KEY: REASON".
std::string describe_problem(const std::string& path, const std::map<std::string, int>& lines,
                             const ConfigProblem& problem);

}  // namespace vipkit::common
