#pragma once
// The snapshots kept in a backup directory (ha/snapshot.cpp writes
// NAME-YYYYmmddTHHMMSSZ.rdb and a .json beside it), as rows for
// `vipctl snapshot list`, and which of them `vipctl snapshot prune` removes.
// Pure: the caller reads the directory (names, sizes, JSON texts) and
// deletes what is selected. The RDB files are never opened: the key count
// comes from the JSON's dbsize or is unknown.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vipkit::vipctl {

using SystemTime = std::chrono::system_clock::time_point;

// One base name found in the directory: NAME-STAMP with its .rdb and/or .json.
struct SnapshotFiles {
  std::string base;                       // file name without extension
  std::optional<std::uintmax_t> rdb_size; // nullopt: no .rdb
  std::optional<std::string> json_text;   // nullopt: no .json (or unreadable)
};

struct SnapshotRow {
  std::string base;
  std::optional<SystemTime> time;  // the JSON's time, else the name's stamp
  std::string instance;            // the JSON's, else the name before the stamp
  std::string replid;
  std::string replid2;
  std::optional<long long> offset;
  std::optional<long long> keys;   // the JSON's dbsize
  std::optional<std::uintmax_t> rdb_size;
  bool has_json = false;
  std::string problem;             // "no .rdb", "JSON: ..." — empty when none
};

// "20261202T032000Z" -> time; nullopt when malformed.
std::optional<SystemTime> parse_stamp(std::string_view stamp);
// time -> "2026-12-02T03:20:00Z".
std::string iso_time(SystemTime t);

SnapshotRow make_row(const SnapshotFiles& files);
// Every base as a row, newest first (no known time: last), then by name.
std::vector<SnapshotRow> list_snapshots(const std::vector<SnapshotFiles>& files);

// "30s", "15m", "12h", "7d"; nullopt when malformed or not positive.
std::optional<std::chrono::seconds> parse_age(std::string_view text);

struct PruneRule {
  std::optional<std::size_t> keep;               // keep the newest N
  std::optional<std::chrono::seconds> older_than; // remove those older than this
};
// The rows to delete, from rows sorted as list_snapshots sorts them. A row
// whose time is unknown is never selected by age (nor by --keep: it is
// not known to be older than the kept ones).
std::vector<SnapshotRow> select_prune(const std::vector<SnapshotRow>& rows, const PruneRule& rule, SystemTime now);

}  // namespace vipkit::vipctl
