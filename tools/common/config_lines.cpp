#include "common/config_lines.hpp"

#include <fstream>

namespace vipkit::common {

namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Each `key = value` line's key and number; comments (# ;), [sections] and
// blank lines are no key (nullopt), so they do not break a run.
std::optional<std::string> key_of(const std::string& line) {
  const std::string_view text = trim(line);
  if (text.empty() || text.front() == '#' || text.front() == ';' || text.front() == '[') return std::nullopt;
  const auto eq = text.find('=');
  return std::string(trim(eq == std::string_view::npos ? text : text.substr(0, eq)));
}

}  // namespace

std::map<std::string, int> config_key_lines(std::istream& in) {
  std::map<std::string, int> lines;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (auto key = key_of(line)) lines.emplace(std::move(*key), number);  // the first occurrence
  }
  return lines;
}

std::map<std::string, std::vector<int>> scattered_key_lines(std::istream& in) {
  std::map<std::string, std::vector<int>> scattered;
  std::map<std::string, bool> seen;
  std::string previous;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    auto key = key_of(line);
    if (!key) continue;
    if (*key != previous && seen[*key]) scattered[*key].push_back(number);
    seen[*key] = true;
    previous = std::move(*key);
  }
  return scattered;
}

std::map<std::string, std::vector<int>> scattered_key_lines(const std::string& path) {
  std::ifstream in(path);
  return scattered_key_lines(in);
}

std::map<std::string, int> config_key_lines(const std::string& path) {
  std::ifstream in(path);
  return config_key_lines(in);
}

std::optional<std::string> unknown_config_key(std::string_view message) {
  constexpr std::string_view unknown = "INI was not able to parse ";
  if (!message.starts_with(unknown)) return std::nullopt;
  return std::string(message.substr(unknown.size()));
}

ConfigProblem problem_from_cli11(std::string_view message) {
  if (auto key = unknown_config_key(message)) return {std::move(*key), "unknown option"};
  const auto dashes = message.find("--");
  if (dashes == std::string_view::npos) return {"", std::string(message)};
  auto end = dashes + 2;
  while (end < message.size() && is_name_char(message[end])) ++end;
  std::string key(message.substr(dashes + 2, end - dashes - 2));
  // "--vrid: Value 300 not in range" -> "Value 300 not in range"
  std::string_view reason = message;
  if (dashes == 0 && message.substr(end).starts_with(": ")) reason = message.substr(end + 2);
  return {std::move(key), std::string(reason)};
}

std::string describe_problem(const std::string& path, const std::map<std::string, int>& lines,
                             const ConfigProblem& problem) {
  const std::string what = problem.key.empty() ? problem.reason : problem.key + ": " + problem.reason;
  const auto line = lines.find(problem.key);
  if (path.empty() || line == lines.end()) return what;
  return path + ":" + std::to_string(line->second) + ": " + what;
}

}  // namespace vipkit::common
