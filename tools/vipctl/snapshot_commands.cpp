#include "vipctl/snapshot_commands.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "common/cli.hpp"
#include "common/exit_codes.hpp"
#include "common/instance_config.hpp"
#include "common/json_fields.hpp"
#include "common/log.hpp"
#include "vipctl/commands.hpp"
#include "vipctl/scratch_server.hpp"
#include "vipctl/snapshot_catalog.hpp"
#include "vipctl/snapshot_compare.hpp"
#include "vipctl/snapshot_render.hpp"

namespace vipkit::vipctl {

namespace {

namespace fs = std::filesystem;
constexpr std::uintmax_t json_max_bytes = 1 << 20;  // a snapshot's JSON is a few hundred bytes

std::optional<std::string> read_small_file(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec || size > json_max_bytes) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The backup directory as SnapshotFiles: one per base name with a .rdb or
// a .json.
std::vector<SnapshotFiles> read_backup_dir(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw common::ConfigError(fmt::format("--backup-dir {}: not a directory", dir));
  std::map<std::string, SnapshotFiles> by_base;
  fs::directory_iterator it(dir, ec);
  if (ec) throw common::ConfigError(fmt::format("--backup-dir {}: {}", dir, ec.message()));
  for (const auto& entry : it) {
    const fs::path& p = entry.path();
    const std::string ext = p.extension().string();
    if ((ext != ".rdb" && ext != ".json") || !entry.is_regular_file(ec)) continue;
    SnapshotFiles& f = by_base[p.stem().string()];
    f.base = p.stem().string();
    if (ext == ".rdb") {
      const auto size = fs::file_size(p, ec);
      if (!ec) f.rdb_size = size;
    } else {
      f.json_text = read_small_file(p);
    }
  }
  std::vector<SnapshotFiles> files;
  for (auto& [base, f] : by_base) files.push_back(std::move(f));
  return files;
}

int run_list(const Options& o, const common::InstanceConfig& instance) {
  const auto rows = list_snapshots(read_backup_dir(instance.backup_dir));
  if (o.json) {
    fmt::print("{}\n", common::json_text(snapshot_rows_json(rows), 2));
  } else {
    fmt::print("{}", snapshot_rows_text(rows));
  }
  return common::exit_ok;
}

int run_prune(const Options& o, const common::InstanceConfig& instance) {
  const SnapshotOptions& s = o.snapshot;
  PruneRule rule;
  if (s.prune->count("--keep") > 0) rule.keep = s.keep;
  if (!s.older_than.empty()) {
    rule.older_than = parse_age(s.older_than);
    if (!rule.older_than) {
      throw common::ConfigError(fmt::format("--older-than {}: expected a number and s, m, h or d (7d)", s.older_than));
    }
  }
  if (!rule.keep && !rule.older_than) throw common::ConfigError("snapshot prune needs --keep N or --older-than D");
  const auto rows = list_snapshots(read_backup_dir(instance.backup_dir));
  const auto doomed = select_prune(rows, rule, std::chrono::system_clock::now());
  const auto log = common::make_logger({"vipctl", /*syslog=*/false, o.vipd.verbose});
  int code = common::exit_ok;
  for (const auto& row : doomed) {
    for (const char* ext : {".rdb", ".json"}) {
      const fs::path file = fs::path(instance.backup_dir) / (row.base + ext);
      std::error_code ec;
      if (!fs::exists(file, ec)) continue;
      if (o.dry_run) {
        fmt::print("would delete {}\n", file.string());
        continue;
      }
      if (fs::remove(file, ec)) {
        fmt::print("deleted {}\n", file.string());
        log->info("snapshot-pruned file={}", common::kv_value(file.string()));
      } else {
        log->error("snapshot-prune-failed file={} error={}", common::kv_value(file.string()),
                   common::kv_value(ec.message()));
        code = common::exit_failed;
      }
    }
  }
  if (doomed.empty()) fmt::print("nothing to prune ({} snapshots kept)\n", rows.size());
  return code;
}

// The replication ids in the JSON that ha::snapshot wrote beside the RDB.
std::optional<HistoryIds> ids_beside(const fs::path& rdb) {
  fs::path json = rdb;
  json.replace_extension(".json");
  auto text = read_small_file(json);
  if (!text) return std::nullopt;
  const SnapshotRow row = make_row(SnapshotFiles{rdb.stem().string(), 0, text});
  if (!row.has_json) return std::nullopt;
  return HistoryIds{row.replid, row.replid2};
}

int run_compare(const Options& o, const common::InstanceConfig& instance, bool merge) {
  const SnapshotOptions& s = o.snapshot;
  {
    std::ifstream probe(s.rdb, std::ios::binary);
    if (!probe || fs::is_directory(s.rdb)) {
      throw common::ConfigError(fmt::format("--rdb {}: cannot read it ({})", s.rdb,
                                            fs::is_directory(s.rdb) ? "a directory" : std::strerror(errno)));
    }
  }
  const auto redis_server = find_redis_server(s.redis_server);
  if (!redis_server) {
    throw common::ConfigError(fmt::format("{}: not found or not executable (install redis-server, or give "
                                          "--redis-server PATH)", s.redis_server));
  }
  CompareConfig config;
  config.master = instance.connections.local;
  config.rdb = s.rdb;
  config.redis_server = *redis_server;
  config.snapshot_ids = ids_beside(s.rdb);
  config.merge = merge;
  config.dry_run = o.dry_run;
  config.force = s.force;
  config.policy = *parse_conflict_policy(s.on_conflict);
  config.timeout = instance.connections.timeout;
  config.batch_pause = std::chrono::milliseconds(s.batch_pause_ms);

  install_scratch_signal_cleanup();
  const auto log = common::make_logger({"vipctl", /*syslog=*/false, o.vipd.verbose});
  const std::string op = merge ? "snapshot-merge" : "snapshot-diff";
  auto last_progress = std::chrono::steady_clock::now();
  const CompareReport report = compare_snapshot(
      config,
      [&](const ha::Step& step) {
        log->log(step.ok ? spdlog::level::info : spdlog::level::err, "step op={} name={} ok={} ms={} detail={}", op,
                 step.name, step.ok ? "yes" : "no", step.duration.count(), common::kv_value(step.detail));
      },
      [&](const Progress& p) {
        // Big snapshots: a line a second, so a long merge is seen to move.
        const auto now = std::chrono::steady_clock::now();
        if (now - last_progress < std::chrono::seconds(1)) return;
        last_progress = now;
        log->info("progress op={} scanned={} total={} written={}", op, p.scanned, p.total, p.restored);
      });
  log->log(report.outcome.ok ? spdlog::level::info : spdlog::level::err,
           "{} result={} reason={} absent={} equal={} conflict={} expired={} restored={} replaced={}", op,
           report.outcome.ok ? "ok" : "failed", report.outcome.reason.empty() ? "-" : report.outcome.reason,
           report.diff.absent, report.diff.equal, report.diff.conflict, report.diff.expired, report.restored,
           report.replaced);
  const CompareView view{s.rdb, merge, o.dry_run, config.policy};
  if (o.json) {
    fmt::print("{}\n", common::json_text(compare_json(report, view), 2));
  } else {
    fmt::print("{}", compare_text(report, view));
  }
  return report.outcome.ok ? common::exit_ok : common::exit_failed;
}

void add_compare_options(CLI::App& sub, Options& o) {
  sub.add_option("--rdb", o.snapshot.rdb, "The snapshot's RDB file (its .json beside it gives its history)")
      ->required();
  sub.add_option("--redis-server", o.snapshot.redis_server,
                 "redis-server binary to load the snapshot into (default: redis-server on PATH)");
  sub.add_flag("--json", o.json, "JSON on stdout instead of the summary");
}

}  // namespace

void add_snapshot_options(CLI::App& app, Options& o) {
  SnapshotOptions& s = o.snapshot;
  s.command = app.add_subcommand("snapshot", "The snapshots a yielding master kept: list, diff, merge, prune");
  s.command->require_subcommand(1);
  s.command->fallthrough();
  s.list = s.command->add_subcommand("list", "Every snapshot in --backup-dir, newest first");
  s.list->add_flag("--json", o.json, "JSON on stdout instead of the table");
  s.diff = s.command->add_subcommand("diff", "Compare a snapshot with the live master, key by key");
  add_compare_options(*s.diff, o);
  s.merge = s.command->add_subcommand("merge", "Restore the keys only in the snapshot into the live master");
  add_compare_options(*s.merge, o);
  s.merge->add_option("--on-conflict", s.on_conflict, "Keys both hold with different values: skip or snapshot-wins")
      ->capture_default_str()
      ->check(CLI::IsMember({"skip", "snapshot-wins"}));
  s.merge->add_flag("--dry-run", o.dry_run, "Compare and say what would be restored, write nothing");
  s.merge->add_flag("--force", s.force, "Merge even a snapshot whose history is unrelated to the master's");
  // Tests: a pause between batches, so a merge can be killed mid-way.
  s.merge->add_option("--batch-pause-ms", s.batch_pause_ms, "")->group("")->check(CLI::Range(0, 10000));
  s.prune = s.command->add_subcommand("prune", "Delete old snapshots (.rdb and .json): --keep N or --older-than D");
  auto* keep = s.prune->add_option("--keep", s.keep, "Keep the newest N snapshots")->check(CLI::Range(0, 1000000));
  auto* older = s.prune->add_option("--older-than", s.older_than, "Delete those older than D (30m, 12h, 7d)");
  keep->excludes(older);
  s.prune->add_flag("--dry-run", o.dry_run, "Say what would be deleted, delete nothing");
}

int run_snapshot(const Options& o) {
  const common::InstanceConfig instance = common::resolve_instance(o.vipd.redis, "");
  const SnapshotOptions& s = o.snapshot;
  if (s.list->parsed()) return run_list(o, instance);
  if (s.diff->parsed()) return run_compare(o, instance, /*merge=*/false);
  if (s.merge->parsed()) return run_compare(o, instance, /*merge=*/true);
  if (s.prune->parsed()) return run_prune(o, instance);
  throw common::ConfigError("snapshot: no subcommand");
}

}  // namespace vipkit::vipctl
