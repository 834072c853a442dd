#include "redis/sentinel_replies.hpp"

#include <algorithm>
#include <map>
#include <type_traits>

#include "redis/number.hpp"

namespace vipkit::redis {

namespace {

Error bad(std::string_view what, std::string_view why) {
  return Error{ErrorCode::protocol, "unexpected " + std::string(what) + " reply: " + std::string(why)};
}

bool is_text(const Reply& r) { return r.type == Reply::Type::string || r.type == Reply::Type::status; }

// An address as Sentinel announces it: a non-empty host without blanks and
// a TCP port 1..65535 in decimal (an IPv6 host stays bare, no brackets).
std::optional<Endpoint> address_of(std::string_view host, std::string_view port_text) {
  if (host.empty() || host.find_first_of(" \t\r\n") != std::string_view::npos) return std::nullopt;
  const auto port = to_number<int>(port_text);
  if (!port || *port < 1 || *port > 65535) return std::nullopt;
  return Endpoint{std::string(host), *port, ""};
}

std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const auto start = text.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    text.remove_prefix(start);
    const auto end = text.find(' ');
    out.push_back(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end);
  }
  return out;
}

std::vector<std::string> split_flags(std::string_view text) {
  std::vector<std::string> flags;
  while (!text.empty()) {
    const auto comma = text.find(',');
    if (comma != 0) flags.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return flags;
}

using Fields = std::map<std::string, std::string, std::less<>>;

template <class Int>
std::optional<Error> read_number(const Fields& f, std::string_view key, bool required, Int& out) {
  const auto it = f.find(key);
  if (it == f.end()) {
    if (!required) return std::nullopt;
    return bad("SENTINEL master", "no " + std::string(key) + " field");
  }
  const auto n = to_number<Int>(it->second);
  bool negative = false;
  if constexpr (std::is_signed_v<Int>) negative = n && *n < 0;
  if (!n || negative) return bad("SENTINEL master", std::string(key) + " is not a count: " + it->second);
  out = *n;
  return std::nullopt;
}

}  // namespace

Result<std::optional<Endpoint>> parse_master_addr(const Reply& reply) {
  constexpr std::string_view what = "SENTINEL get-master-addr-by-name";
  if (reply.type == Reply::Type::nil) return std::optional<Endpoint>();
  if (reply.type != Reply::Type::array) return bad(what, "not an array");
  if (reply.elements.size() != 2) return bad(what, "not [ip, port]");
  const Reply& host = reply.elements[0];
  const Reply& port = reply.elements[1];
  if (!is_text(host) || !is_text(port)) return bad(what, "ip or port is not text");
  auto address = address_of(host.str, port.str);
  if (!address) return bad(what, "bad address " + host.str + " " + port.str);
  return std::optional<Endpoint>(std::move(*address));
}

bool SentinelMaster::has_flag(std::string_view flag) const {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

Result<SentinelMaster> parse_sentinel_master(const Reply& reply) {
  constexpr std::string_view what = "SENTINEL master";
  if (reply.type != Reply::Type::array) return bad(what, "not an array");
  if (reply.elements.size() % 2 != 0) return bad(what, "odd number of field/value elements");
  Fields f;
  for (std::size_t i = 0; i < reply.elements.size(); i += 2) {
    const Reply& key = reply.elements[i];
    const Reply& value = reply.elements[i + 1];
    if (!is_text(key) || !is_text(value)) return bad(what, "a field or value is not text");
    f.insert_or_assign(key.str, value.str);
  }
  for (std::string_view key : {"name", "ip", "port", "flags"}) {
    if (!f.contains(key)) return bad(what, "no " + std::string(key) + " field");
  }
  SentinelMaster m;
  m.name = f["name"];
  auto address = address_of(f["ip"], f["port"]);
  if (!address) return bad(what, "bad address " + f["ip"] + " " + f["port"]);
  m.address = std::move(*address);
  m.flags = split_flags(f["flags"]);
  if (const auto it = f.find("failover-state"); it != f.end()) m.failover_state = it->second;
  for (auto e : {read_number(f, "config-epoch", true, m.config_epoch),
                 read_number(f, "num-other-sentinels", true, m.num_other_sentinels),
                 read_number(f, "quorum", true, m.quorum),
                 read_number(f, "num-slaves", false, m.num_slaves)}) {
    if (e) return *e;
  }
  return m;
}

Result<SentinelEvent> parse_sentinel_event(std::string_view channel, std::string_view payload) {
  const std::string what = "Sentinel event " + std::string(channel);
  SentinelEvent event;
  event.channel = std::string(channel);
  const auto w = words(payload);
  if (channel == "+new-epoch") {
    if (w.size() != 1 || !to_number<std::uint64_t>(w[0])) return bad(what, "not an epoch");
    return event;
  }
  if (channel == "+switch-master") {
    if (w.size() != 5) return bad(what, "not <name> <oldip> <oldport> <newip> <newport>");
    event.master_name = std::string(w[0]);
    event.old_master = address_of(w[1], w[2]);
    event.new_master = address_of(w[3], w[4]);
    if (!event.old_master || !event.new_master) return bad(what, "bad address");
    return event;
  }
  if (channel.empty() || (channel[0] != '+' && channel[0] != '-')) return bad(what, "not an event name");
  // Instance events: "<type> <name> <ip> <port>" for a master, then
  // "@ <master-name> <master-ip> <master-port>" for a replica or a Sentinel.
  // +config-update-from names the Sentinel it learnt from, then the master.
  if (w.size() < 4 || !address_of(w[2], w[3])) return bad(what, "not <type> <name> <ip> <port>");
  if (w[0] == "master") {
    event.master_name = std::string(w[1]);
    return event;
  }
  if (w.size() < 8 || w[4] != "@" || !address_of(w[6], w[7])) return bad(what, "no \"@ <master> <ip> <port>\"");
  event.master_name = std::string(w[5]);
  return event;
}

}  // namespace vipkit::redis
