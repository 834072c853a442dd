#include "ha/snapshot.hpp"

#include "ha/durable_file.hpp"
#include "ha/step_recorder.hpp"
#include "redis/commands.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <system_error>
#include <thread>

namespace vipkit::ha {

namespace {

namespace fs = std::filesystem;
using redis::Clock;

std::string text_of(const redis::Reply& r) { return r.str; }

redis::Result<redis::PersistenceInfo> persistence(redis::Connection& c, redis::Deadline deadline) {
  auto reply = c.command({"INFO", "persistence"}, deadline);
  if (!reply) return reply.error();
  return redis::parse_persistence_info(text_of(reply.value()));
}

// Wait until no RDB child runs. Returns the last observed info.
redis::Result<redis::PersistenceInfo> wait_bgsave_done(redis::Connection& c, redis::Deadline deadline) {
  for (;;) {
    auto info = persistence(c, deadline);
    if (!info) return info.error();
    if (!info->rdb_bgsave_in_progress) return info;
    if (Clock::now() >= deadline) {
      return redis::Error{redis::ErrorCode::timeout, "BGSAVE still in progress at the deadline"};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// BGSAVE; when one is already running (its data may predate ours), let it
// finish and start our own.
redis::Status bgsave(redis::Connection& c, redis::Deadline deadline) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto reply = c.command({"BGSAVE"}, deadline);
    if (reply) {
      auto done = wait_bgsave_done(c, deadline);
      if (!done) return done.error();
      if (!done->rdb_last_bgsave_ok) {
        return redis::Error{redis::ErrorCode::reply_error, "rdb_last_bgsave_status:err (see the Redis log)"};
      }
      return redis::Done{};
    }
    if (reply.error().message.find("in progress") == std::string::npos) return reply.error();
    if (auto done = wait_bgsave_done(c, deadline); !done) return done.error();
  }
  return redis::Error{redis::ErrorCode::reply_error, "could not start BGSAVE"};
}

std::string utc_stamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return fmt::format("{:%Y%m%dT%H%M%SZ}", tm);
}

}  // namespace

SnapshotResult snapshot(const Target& local, const NodeState& observed, const std::string& instance,
                        const std::string& backup_dir, const std::string& peer_text,
                        std::chrono::milliseconds timeout) {
  SnapshotResult result;
  StepRecorder steps(result.outcome);
  const auto deadline = Clock::now() + timeout;
  auto fail = [&](std::string reason) -> SnapshotResult& {
    steps.fail(std::move(reason));
    return result;
  };

  auto start = Clock::now();
  auto c = steps.connect(local, deadline);
  if (!c) {
    steps.fail_connect(c.error());
    return result;
  }
  auto dir = redis::config_get(c.value(), "dir", deadline);
  auto file = dir ? redis::config_get(c.value(), "dbfilename", deadline) : dir;
  if (!dir || !file) {
    steps.record("locate-rdb", start, false, (!dir ? dir : file).error().message);
    return fail("rdb-path-unknown");
  }
  const fs::path rdb = fs::path(dir.value()) / file.value();

  if (!steps.run("bgsave", [&] { return bgsave(c.value(), deadline); }, "rdb=" + rdb.string())) {
    return fail("bgsave-failed");
  }

  start = Clock::now();
  std::error_code ec;
  const bool made_dir = fs::create_directories(backup_dir, ec);
  if (ec) {
    steps.record("copy", start, false, "mkdir " + backup_dir + ": " + ec.message());
    return fail("backup-dir-unusable");
  }
  fs::permissions(backup_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  const std::string base = fmt::format("{}-{}", instance, utc_stamp());
  const fs::path copy = fs::path(backup_dir) / (base + ".rdb");
  fs::copy_file(rdb, copy, fs::copy_options::overwrite_existing, ec);
  if (ec) {
    steps.record("copy", start, false, rdb.string() + " -> " + copy.string() + ": " + ec.message());
    return fail("copy-failed");
  }
  fs::permissions(copy, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ec);
  // Not saved until it is on disk: it may be the only copy of these writes.
  if (auto synced = sync_file(copy.string()); !synced) {
    steps.record("copy", start, false, synced.error().message);
    return fail("sync-failed");
  }

  const nlohmann::json meta = {
      {"instance", instance},   {"time", utc_stamp()},          {"rdb", copy.string()},
      {"replid", observed.replid}, {"replid2", observed.replid2}, {"offset", observed.offset},
      {"second_offset", observed.second_offset}, {"dbsize", observed.dbsize},
      {"role", std::string(redis::to_token(observed.role))},     {"peer", peer_text},
  };
  const fs::path meta_path = fs::path(backup_dir) / (base + ".json");
  std::ofstream out(meta_path);
  out << meta.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';  // Redis's text: any bytes
  out.close();
  if (!out) {
    steps.record("copy", start, false, "cannot write " + meta_path.string());
    return fail("copy-failed");
  }
  fs::permissions(meta_path, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ec);
  // The two names, and the directory's own name when it was just made.
  auto synced = sync_file(meta_path.string());
  if (synced) synced = sync_directory(backup_dir);
  if (synced && made_dir) {
    fs::path dir_path(backup_dir);
    if (!dir_path.has_filename()) dir_path = dir_path.parent_path();  // "a/b/"
    synced = sync_directory(dir_path.parent_path().string());
  }
  if (!synced) {
    steps.record("copy", start, false, synced.error().message);
    return fail("sync-failed");
  }
  steps.record("copy", start, true, "copy=" + copy.string());
  result.rdb_path = copy.string();
  result.meta_path = meta_path.string();
  steps.succeed();
  return result;
}

}  // namespace vipkit::ha
