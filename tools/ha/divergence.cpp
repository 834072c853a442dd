#include "ha/divergence.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "ha/history.hpp"
#include "ha/switchover.hpp"

namespace vipkit::ha {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

long long digits(long long n) {
  long long d = 1;
  for (; n >= 10; n /= 10) ++d;
  return d;
}

// `promoted` was a replica of `other`'s history and was promoted: it holds
// other.replid up to second_offset - 1 (Redis: second_repl_offset is the
// first byte of the new history).
std::optional<ForkPoint> promoted_from(const NodeState& promoted, const NodeState& other) {
  if (is_null_replid(promoted.replid2) || promoted.replid2 != other.replid || promoted.second_offset <= 0) {
    return std::nullopt;
  }
  return ForkPoint{other.replid, std::min(promoted.second_offset - 1, other.offset)};
}

}  // namespace

std::optional<ForkPoint> fork_point(const NodeState& a, const NodeState& b) {
  if (a.replid.empty() || b.replid.empty()) return std::nullopt;
  if (a.replid == b.replid) return ForkPoint{a.replid, std::min(a.offset, b.offset)};
  if (auto f = promoted_from(b, a)) return f;
  if (auto f = promoted_from(a, b)) return f;
  // Both promoted from a third history (each one after the other, or both).
  if (!is_null_replid(a.replid2) && a.replid2 == b.replid2 && a.second_offset > 0 && b.second_offset > 0) {
    return ForkPoint{a.replid2, std::min(a.second_offset, b.second_offset) - 1};
  }
  return std::nullopt;
}

long long resp_size(const std::vector<std::string>& argv) {
  long long size = 1 + digits(static_cast<long long>(argv.size())) + 2;  // *N\r\n
  for (const auto& arg : argv) {
    const auto n = static_cast<long long>(arg.size());
    size += 1 + digits(n) + 2 + n + 2;  // $len\r\n arg \r\n
  }
  return size;
}

bool is_data_command(const std::vector<std::string>& argv) {
  if (argv.empty()) return false;
  static constexpr std::array<std::string_view, 6> control{"PING", "REPLCONF", "SELECT", "MULTI", "EXEC", "PUBLISH"};
  for (auto name : control) {
    if (iequals(argv[0], name)) return false;
  }
  // SET/DEL/PEXPIRE of the switchover marker: vipkit's own bookkeeping.
  if (argv.size() >= 2 && argv[1] == switchover_key) return false;
  return true;
}

void tally(PastFork& past, const std::vector<std::string>& argv) {
  const long long size = resp_size(argv);
  past.bytes += size;
  if (is_data_command(argv)) {
    past.data_bytes += size;
    ++past.data_commands;
  }
}

std::string_view to_token(Lead lead) {
  switch (lead) {
    case Lead::local: return "local";
    case Lead::peer: return "peer";
    case Lead::even: return "even";
  }
  return "even";
}

Lead lead_of(const Divergence& d) {
  auto weight = [](const PastFork& p) { return p.complete ? p.data_bytes : std::max(p.data_bytes, p.span); };
  const long long l = weight(d.local);
  const long long p = weight(d.peer);
  if (l == p) return Lead::even;
  return l > p ? Lead::local : Lead::peer;
}

Lead unrelated_lead(const NodeState& local, const NodeState& peer) {
  if (local.dbsize == peer.dbsize) return Lead::even;
  return local.dbsize > peer.dbsize ? Lead::local : Lead::peer;
}

std::optional<Lead> shared_history_lead(const NodeState& local, const NodeState& peer) {
  if (!local.is_master() || !peer.is_master()) return std::nullopt;
  if (is_null_replid(local.replid2) || local.replid2 != peer.replid2) return std::nullopt;
  if (local.second_offset <= 0 || peer.second_offset <= 0 || local.second_offset == peer.second_offset) {
    return std::nullopt;
  }
  return local.second_offset > peer.second_offset ? Lead::local : Lead::peer;
}

Lead lead_of(const std::optional<Divergence>& divergence, const NodeState& local, const NodeState& peer) {
  if (auto lead = shared_history_lead(local, peer)) return *lead;
  return divergence ? lead_of(*divergence) : unrelated_lead(local, peer);
}

bool no_data_past_fork(const PastFork& past) { return past.complete && past.data_commands == 0; }

bool diverged_masters(const NodeState& local, const NodeState& peer) {
  return local.is_master() && peer.is_master() && fork_point(local, peer).has_value();
}

}  // namespace vipkit::ha
