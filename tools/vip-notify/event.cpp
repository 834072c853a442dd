#include "vip-notify/event.hpp"

#include <charconv>

#include "common/instance_name.hpp"
#include "common/outside_text.hpp"

namespace vipkit::notify {

namespace {

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    if (i >= line.size()) break;
    std::size_t j = i;
    if (line[i] == '"') {  // keepalived quotes instance names in the FIFO
      j = line.find('"', i + 1);
      if (j == std::string_view::npos) j = line.size();
      words.push_back(line.substr(i + 1, j - i - 1));
      i = j + 1;
      continue;
    }
    while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
    words.push_back(line.substr(i, j - i));
    i = j;
  }
  return words;
}

std::optional<int> parse_priority(std::string_view text) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 0 || value > 255) {
    return std::nullopt;
  }
  return value;
}

ParsedEvent malformed(std::string why) { return {std::nullopt, std::move(why), true}; }
ParsedEvent routine(std::string why) { return {std::nullopt, std::move(why), false}; }

// Appended piece by piece: `"'" + std::string&&` trips g++ 12's -Wrestrict
// false positive at -O3 (Release), a known GCC bug.
std::string quoted(std::string_view word) {
  std::string out = "'";
  out += common::printable(word, 40);
  out += '\'';
  return out;
}

// What keepalived 2.2.7 writes that we leave alone: sync groups, the checker's
// virtual and real servers, and the master's "heard a lower priority" note.
bool routine_type(std::string_view type) { return type == "GROUP" || type == "VS" || type == "RS"; }
bool routine_state(std::string_view state) { return state == "MASTER_RX_LOWER_PRI"; }

// TYPE NAME STATE [PRIORITY] — shared by the generic notify form and the FIFO.
ParsedEvent parse_typed(const std::vector<std::string_view>& words, const char* source) {
  if (!words.empty() && routine_type(words[0])) {
    return routine(words[0] == "GROUP" ? "sync group event (instances are handled one by one)"
                                       : "not a VRRP instance event: " + std::string(words[0]));
  }
  if (words.size() < 3) return malformed("expected TYPE NAME STATE [PRIORITY]");
  if (words[0] != "INSTANCE") return malformed("not a VRRP instance event: " + quoted(words[0]));
  if (auto problem = common::instance_name_problem(words[1])) return malformed(*problem);
  const auto state = ha::parse_vrrp_state(words[2]);
  if (!state) {
    if (routine_state(words[2])) return routine("state " + std::string(words[2]) + " is not acted on");
    return malformed("unknown state " + quoted(words[2]));
  }
  Event event{std::string(words[1]), *state, std::nullopt, source};
  if (words.size() >= 4) {
    event.priority = parse_priority(words[3]);
    if (!event.priority) return malformed("bad priority " + quoted(words[3]));
  }
  return {event, "", false};
}

}  // namespace

ParsedEvent parse_arguments(const std::vector<std::string>& args) {
  std::vector<std::string_view> words(args.begin(), args.end());
  if (words.size() == 1) {
    const auto state = ha::parse_vrrp_state(words[0]);
    if (!state) return malformed("unknown state " + quoted(args[0]) + " (master|backup|fault|stop)");
    return {Event{"", *state, std::nullopt, "explicit"}, "", false};
  }
  if (words.empty()) return malformed("no state given (master|backup|fault|stop)");
  return parse_typed(words, "notify");
}

ParsedEvent parse_fifo_line(std::string_view line) {
  const auto words = split_words(line);
  if (words.empty()) return routine("empty line");
  return parse_typed(words, "fifo");
}

}  // namespace vipkit::notify
