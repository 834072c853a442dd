#include "vipctl/snapshot_catalog.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <nlohmann/json.hpp>

#include "common/json_fields.hpp"

namespace vipkit::vipctl {

namespace {

constexpr std::size_t stamp_length = 16;  // YYYYmmddTHHMMSSZ

bool digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}
int number(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// NAME-STAMP: the stamp part, when the base ends with one.
std::optional<std::string_view> stamp_of(std::string_view base) {
  if (base.size() < stamp_length + 2 || base[base.size() - stamp_length - 1] != '-') return std::nullopt;
  return base.substr(base.size() - stamp_length);
}

}  // namespace

std::optional<SystemTime> parse_stamp(std::string_view s) {
  if (s.size() != stamp_length || s[8] != 'T' || s[15] != 'Z' || !digits(s.substr(0, 8)) ||
      !digits(s.substr(9, 6))) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = number(s.substr(0, 4)) - 1900;
  tm.tm_mon = number(s.substr(4, 2)) - 1;
  tm.tm_mday = number(s.substr(6, 2));
  tm.tm_hour = number(s.substr(9, 2));
  tm.tm_min = number(s.substr(11, 2));
  tm.tm_sec = number(s.substr(13, 2));
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60) {
    return std::nullopt;
  }
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string iso_time(SystemTime t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", tm);
}

SnapshotRow make_row(const SnapshotFiles& f) {
  SnapshotRow row;
  row.base = f.base;
  row.rdb_size = f.rdb_size;
  if (auto stamp = stamp_of(f.base)) {
    row.time = parse_stamp(*stamp);
    row.instance = f.base.substr(0, f.base.size() - stamp_length - 1);
  }
  if (!f.rdb_size) row.problem = "no .rdb";
  if (!f.json_text) {
    if (row.problem.empty()) row.problem = "no .json";
    return row;
  }
  const nlohmann::json doc = nlohmann::json::parse(*f.json_text, nullptr, /*allow_exceptions=*/false);
  common::JsonFields fields(doc, f.base + ".json");
  const std::string instance = fields.text("instance");
  const std::string time = fields.text("time");
  row.replid = fields.text("replid");
  row.replid2 = fields.text("replid2");
  const auto has = [&](const char* key) { return doc.is_object() && doc.contains(key); };
  const long long offset = fields.integer("offset", -1);
  const long long keys = fields.integer("dbsize", -1);
  if (fields.error()) {
    if (row.problem.empty()) row.problem = *fields.error();
    return row;
  }
  row.has_json = true;
  if (!instance.empty()) row.instance = instance;
  if (auto t = parse_stamp(time)) row.time = t;
  if (has("offset") && offset >= 0) row.offset = offset;
  if (has("dbsize") && keys >= 0) row.keys = keys;
  return row;
}

std::vector<SnapshotRow> list_snapshots(const std::vector<SnapshotFiles>& files) {
  std::vector<SnapshotRow> rows;
  rows.reserve(files.size());
  for (const auto& f : files) rows.push_back(make_row(f));
  std::sort(rows.begin(), rows.end(), [](const SnapshotRow& a, const SnapshotRow& b) {
    if (a.time.has_value() != b.time.has_value()) return a.time.has_value();
    if (a.time && *a.time != *b.time) return *a.time > *b.time;
    return a.base < b.base;
  });
  return rows;
}

std::optional<std::chrono::seconds> parse_age(std::string_view text) {
  if (text.size() < 2 || !digits(text.substr(0, text.size() - 1)) || text.size() > 12) return std::nullopt;
  const long long n = std::stoll(std::string(text.substr(0, text.size() - 1)));
  if (n <= 0) return std::nullopt;
  switch (text.back()) {
    case 's': return std::chrono::seconds(n);
    case 'm': return std::chrono::minutes(n);
    case 'h': return std::chrono::hours(n);
    case 'd': return std::chrono::hours(24 * n);
    default: return std::nullopt;
  }
}

std::vector<SnapshotRow> select_prune(const std::vector<SnapshotRow>& rows, const PruneRule& rule, SystemTime now) {
  std::vector<SnapshotRow> selected;
  std::size_t dated = 0;
  for (const auto& row : rows) {
    if (!row.time) continue;
    ++dated;
    const bool beyond_keep = rule.keep && dated > *rule.keep;
    const bool too_old = rule.older_than && now - *row.time > *rule.older_than;
    if (beyond_keep || too_old) selected.push_back(row);
  }
  return selected;
}

}  // namespace vipkit::vipctl
