// libFuzzer target: whatever answers on a Redis port (another Redis version,
// another program, a truncated reply) makes the INFO, ROLE, CLUSTER NODES and
// CLUSTER INFO parsers, and the Sentinel ones (SENTINEL master,
// get-master-addr-by-name, published events), return a value or a protocol
// error, never crash. The input is INFO text, and also a RESP2 reply for
// ROLE and the SENTINEL commands: the same bytes serve both, so those seeds
// are written in RESP (`*3\r\n$6\r\nmaster\r\n…`); for an event, its
// first line is the channel, the rest the payload.
#include <charconv>
#include <cstdint>
#include <string_view>

#include "redis/cluster_nodes.hpp"
#include "redis/replies.hpp"
#include "redis/sentinel_replies.hpp"

using vipkit::redis::Reply;

namespace {

// A lenient RESP2 decoder (hiredis builds the Reply in the product): what
// does not parse ends the reply where it stands.
class RespReader {
 public:
  explicit RespReader(std::string_view input) : rest_(input) {}

  Reply read(int depth = 0) {
    if (rest_.empty()) return Reply{};
    const char type = rest_.front();
    rest_.remove_prefix(1);
    const std::string_view line = take_line();
    switch (type) {
      case '+': return Reply::make_status(std::string(line));
      case '-': return Reply::make_error(std::string(line));
      case ':': return Reply::make_integer(number(line));
      case '$': {
        const long long n = number(line);
        if (n < 0) return Reply{};
        const std::string_view bulk = rest_.substr(0, static_cast<std::size_t>(n));
        rest_.remove_prefix(bulk.size());
        take_line();
        return Reply::make_string(std::string(bulk));
      }
      case '*': {
        const long long n = number(line);
        if (n < 0) return Reply{};
        std::vector<Reply> elements;
        for (long long i = 0; i < n && !rest_.empty() && depth < 8; ++i) elements.push_back(read(depth + 1));
        return Reply::make_array(std::move(elements));
      }
      default: return Reply::make_status(std::string(line));
    }
  }

 private:
  std::string_view take_line() {
    const auto end = rest_.find("\r\n");
    const std::string_view line = rest_.substr(0, end);
    rest_.remove_prefix(end == std::string_view::npos ? rest_.size() : end + 2);
    return line;
  }
  static long long number(std::string_view text) {
    long long value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
  }
  std::string_view rest_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // INFO replication and INFO persistence, as two replies: split at a NUL.
  const auto nul = input.find('\0');
  const std::string_view replication = input.substr(0, nul);
  const std::string_view persistence = nul == std::string_view::npos ? input : input.substr(nul + 1);
  (void)vipkit::redis::parse_info_fields(input);
  (void)vipkit::redis::parse_replication_info(replication, persistence);
  (void)vipkit::redis::parse_persistence_info(input);
  (void)vipkit::redis::parse_version(input);
  (void)vipkit::redis::parse_server_info(input);
  const Reply reply = RespReader(input).read();
  (void)vipkit::redis::parse_role(reply);
  (void)vipkit::redis::parse_master_addr(reply);
  (void)vipkit::redis::parse_sentinel_master(reply);
  const auto eol = input.find('\n');
  (void)vipkit::redis::parse_sentinel_event(input.substr(0, eol),
                                            eol == std::string_view::npos ? std::string_view() : input.substr(eol + 1));
  (void)vipkit::redis::parse_cluster_nodes(input);
  (void)vipkit::redis::parse_cluster_info(input);
  return 0;
}
