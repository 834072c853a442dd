#include "vipctl/snapshot_plan.hpp"

#include <algorithm>

namespace vipkit::vipctl {

namespace {
constexpr std::size_t dump_trailer_bytes = 2 + 8;  // RDB version, CRC64

// The elements of an array reply as strings, grouped by `width` (2 for
// HGETALL's field/value pairs) and sorted by group.
std::vector<std::vector<std::string>> sorted_groups(const redis::Reply& r, std::size_t width) {
  std::vector<std::vector<std::string>> groups;
  for (std::size_t i = 0; i + width <= r.elements.size(); i += width) {
    std::vector<std::string> group;
    for (std::size_t j = 0; j < width; ++j) group.push_back(r.elements[i + j].str);
    groups.push_back(std::move(group));
  }
  std::sort(groups.begin(), groups.end());
  return groups;
}
}  // namespace

std::string_view to_token(KeyClass c) {
  switch (c) {
    case KeyClass::absent: return "absent";
    case KeyClass::equal: return "equal";
    case KeyClass::conflict: return "conflict";
    case KeyClass::expired: return "expired";
  }
  return "unknown";
}

std::string_view dump_value_bytes(std::string_view payload) {
  if (payload.size() < dump_trailer_bytes) return payload;
  return payload.substr(0, payload.size() - dump_trailer_bytes);
}

KeyClass classify(const KeyObservation& key) {
  // PTTL 0: expiring now; RESTORE would read a ttl of 0 as "no expiry".
  if (!key.snapshot_dump || key.snapshot_pttl_ms == -2 || key.snapshot_pttl_ms == 0) return KeyClass::expired;
  if (!key.master_dump) return KeyClass::absent;
  return dump_value_bytes(*key.snapshot_dump) == dump_value_bytes(*key.master_dump) ? KeyClass::equal
                                                                                     : KeyClass::conflict;
}

std::optional<std::vector<std::string>> content_command(std::string_view type, const std::string& key) {
  if (type == "set") return std::vector<std::string>{"SMEMBERS", key};
  if (type == "hash") return std::vector<std::string>{"HGETALL", key};
  if (type == "list") return std::vector<std::string>{"LRANGE", key, "0", "-1"};
  if (type == "zset") return std::vector<std::string>{"ZRANGE", key, "0", "-1", "WITHSCORES"};
  return std::nullopt;
}

bool same_content(std::string_view type, const redis::Reply& snapshot, const redis::Reply& master) {
  using redis::Reply;
  if (snapshot.type != Reply::Type::array || master.type != Reply::Type::array) return false;
  if (snapshot.elements.size() != master.elements.size()) return false;
  if (type == "set" || type == "hash") {
    const std::size_t width = type == "hash" ? 2 : 1;
    return sorted_groups(snapshot, width) == sorted_groups(master, width);
  }
  return std::equal(snapshot.elements.begin(), snapshot.elements.end(), master.elements.begin(),
                    [](const Reply& a, const Reply& b) { return a.type == b.type && a.str == b.str; });
}

std::string_view to_token(ConflictPolicy p) { return p == ConflictPolicy::skip ? "skip" : "snapshot-wins"; }

std::optional<ConflictPolicy> parse_conflict_policy(std::string_view text) {
  if (text == "skip") return ConflictPolicy::skip;
  if (text == "snapshot-wins") return ConflictPolicy::snapshot_wins;
  return std::nullopt;
}

std::string_view to_token(MergeAction a) {
  switch (a) {
    case MergeAction::none: return "none";
    case MergeAction::restore: return "restore";
    case MergeAction::restore_replace: return "restore-replace";
    case MergeAction::skip_conflict: return "skip-conflict";
  }
  return "unknown";
}

MergeAction plan_merge(KeyClass c, ConflictPolicy policy) {
  switch (c) {
    case KeyClass::absent: return MergeAction::restore;
    case KeyClass::conflict:
      return policy == ConflictPolicy::snapshot_wins ? MergeAction::restore_replace : MergeAction::skip_conflict;
    case KeyClass::equal:
    case KeyClass::expired: return MergeAction::none;
  }
  return MergeAction::none;
}

long long restore_ttl_ms(long long snapshot_pttl_ms) { return snapshot_pttl_ms > 0 ? snapshot_pttl_ms : 0; }

std::vector<std::string> restore_command(const KeyObservation& key, MergeAction action) {
  if ((action != MergeAction::restore && action != MergeAction::restore_replace) || !key.snapshot_dump) return {};
  std::vector<std::string> argv = {"RESTORE", key.name, std::to_string(restore_ttl_ms(key.snapshot_pttl_ms)),
                                   *key.snapshot_dump};
  if (action == MergeAction::restore_replace) argv.emplace_back("REPLACE");
  return argv;
}

void DiffSummary::add(const std::string& name, KeyClass c) {
  ++scanned;
  auto note = [&](std::size_t& count, std::vector<std::string>& sample) {
    ++count;
    if (sample.size() < sample_limit) sample.push_back(name);
  };
  switch (c) {
    case KeyClass::absent: note(absent, absent_sample); break;
    case KeyClass::equal: ++equal; break;
    case KeyClass::conflict: note(conflict, conflict_sample); break;
    case KeyClass::expired: note(expired, expired_sample); break;
  }
}

}  // namespace vipkit::vipctl
