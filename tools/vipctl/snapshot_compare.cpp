#include "vipctl/snapshot_compare.hpp"

#include <fmt/format.h>

#include <thread>

#include "ha/step_recorder.hpp"
#include "redis/commands.hpp"
#include "redis/keyspace.hpp"
#include "vipctl/scratch_server.hpp"

namespace vipkit::vipctl {

namespace {

using redis::Clock;
using redis::Reply;

class Reporter {
 public:
  Reporter(CompareReport& report, const std::function<void(const ha::Step&)>& on_step)
      : steps_(report.outcome), report_(report), on_step_(on_step) {}
  bool record(const std::string& name, Clock::time_point start, bool ok, std::string detail) {
    steps_.record(name, start, ok, std::move(detail));
    if (on_step_) on_step_(report_.outcome.steps.back());
    return ok;
  }
  CompareReport& fail(std::string reason) {
    steps_.fail(std::move(reason));
    return report_;
  }
  CompareReport& succeed() {
    steps_.succeed();
    return report_;
  }

 private:
  ha::StepRecorder steps_;
  CompareReport& report_;
  const std::function<void(const ha::Step&)>& on_step_;
};

// What the batch loop needs from both sides.
struct Sides {
  redis::Connection& snapshot;
  redis::Connection& master;
};

std::string reply_text(const Reply& r) { return r.type == Reply::Type::error ? r.str : "unexpected reply"; }

// The second look at the keys whose DUMPs differ (snapshot_plan.hpp,
// content_command): TYPE on the snapshot side, then the full value on both
// sides. Those found equal in content are reclassified equal.
std::optional<std::string> recheck_conflicts(Sides sides, const std::vector<KeyObservation>& observed,
                                             std::vector<KeyClass>& classes, const CompareConfig& config) {
  std::vector<std::size_t> conflicts;
  std::vector<std::vector<std::string>> types;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    if (classes[i] != KeyClass::conflict) continue;
    conflicts.push_back(i);
    types.push_back({"TYPE", observed[i].name});
  }
  if (conflicts.empty()) return std::nullopt;
  auto typed = sides.snapshot.pipeline(types, Clock::now() + config.batch_timeout);
  if (!typed) return "snapshot: " + typed.error().message;
  std::vector<std::size_t> rechecked;
  std::vector<std::string> type_of;
  std::vector<std::vector<std::string>> reads;
  for (std::size_t c = 0; c < conflicts.size(); ++c) {
    const std::string type = typed.value()[c].str;
    if (auto read = content_command(type, observed[conflicts[c]].name)) {
      rechecked.push_back(conflicts[c]);
      type_of.push_back(type);
      reads.push_back(std::move(*read));
    }
  }
  if (reads.empty()) return std::nullopt;
  auto snap = sides.snapshot.pipeline(reads, Clock::now() + config.batch_timeout);
  if (!snap) return "snapshot: " + snap.error().message;
  auto live = sides.master.pipeline(reads, Clock::now() + config.batch_timeout);
  if (!live) return "master: " + live.error().message;
  for (std::size_t r = 0; r < rechecked.size(); ++r) {
    if (same_content(type_of[r], snap.value()[r], live.value()[r])) classes[rechecked[r]] = KeyClass::equal;
  }
  return std::nullopt;
}

// One SCAN batch: read both sides, classify, and (merge) restore. Returns an
// error text when the batch could not be done.
std::optional<std::string> run_batch(Sides sides, const std::vector<std::string>& keys, const CompareConfig& config,
                                     CompareReport& report) {
  std::vector<std::vector<std::string>> reads;
  reads.reserve(keys.size() * 2);
  for (const auto& k : keys) {
    reads.push_back({"DUMP", k});
    reads.push_back({"PTTL", k});
  }
  auto snap = sides.snapshot.pipeline(reads, Clock::now() + config.batch_timeout);
  if (!snap) return "snapshot: " + snap.error().message;
  std::vector<std::vector<std::string>> master_reads;
  master_reads.reserve(keys.size());
  for (const auto& k : keys) master_reads.push_back({"DUMP", k});
  auto live = sides.master.pipeline(master_reads, Clock::now() + config.batch_timeout);
  if (!live) return "master: " + live.error().message;

  std::vector<KeyObservation> observed(keys.size());
  std::vector<KeyClass> classes(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const Reply& dump = snap.value()[2 * i];
    const Reply& pttl = snap.value()[2 * i + 1];
    const Reply& master_dump = live.value()[i];
    if (dump.type == Reply::Type::error || pttl.type == Reply::Type::error) {
      return fmt::format("snapshot: key {}: {}", keys[i], reply_text(dump.type == Reply::Type::error ? dump : pttl));
    }
    if (master_dump.type == Reply::Type::error) return fmt::format("master: DUMP {}: {}", keys[i], master_dump.str);
    KeyObservation& key = observed[i];
    key.name = keys[i];
    if (dump.type == Reply::Type::string) key.snapshot_dump = dump.str;
    key.snapshot_pttl_ms = pttl.type == Reply::Type::integer ? pttl.integer : -2;
    if (master_dump.type == Reply::Type::string) key.master_dump = master_dump.str;
    classes[i] = classify(key);
  }
  if (auto failed = recheck_conflicts(sides, observed, classes, config)) return failed;

  std::vector<std::vector<std::string>> writes;
  std::vector<std::pair<std::size_t, MergeAction>> write_of;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    report.diff.add(observed[i].name, classes[i]);
    if (!config.merge) continue;
    const MergeAction action = plan_merge(classes[i], config.policy);
    if (action == MergeAction::skip_conflict) ++report.skipped;
    if (config.dry_run) {
      if (action == MergeAction::restore) ++report.restored;
      if (action == MergeAction::restore_replace) ++report.replaced;
      continue;
    }
    if (auto argv = restore_command(observed[i], action); !argv.empty()) {
      writes.push_back(std::move(argv));
      write_of.emplace_back(i, action);
    }
  }
  if (writes.empty()) return std::nullopt;
  auto done = sides.master.pipeline(writes, Clock::now() + config.batch_timeout);
  if (!done) return "master: " + done.error().message;
  for (std::size_t w = 0; w < writes.size(); ++w) {
    const Reply& r = done.value()[w];
    const auto& [index, action] = write_of[w];
    if (r.type != Reply::Type::error) {
      ++(action == MergeAction::restore ? report.restored : report.replaced);
    } else if (r.str.starts_with("BUSYKEY")) {
      // Written on the master between our DUMP and RESTORE: the master's
      // value is the newer one; leave it, as a conflict under skip.
      ++report.raced;
      if (report.raced_sample.size() < config.sample_limit) report.raced_sample.push_back(observed[index].name);
    } else {
      return fmt::format("master: RESTORE {}: {}", observed[index].name, r.str);
    }
  }
  return std::nullopt;
}

// Walk one database of the private server with SCAN.
std::optional<std::string> compare_db(Sides sides, int db, const CompareConfig& config, CompareReport& report,
                                      const std::function<void(const Progress&)>& on_progress) {
  for (redis::Connection* c : {&sides.snapshot, &sides.master}) {
    auto selected = c->command({"SELECT", std::to_string(db)}, Clock::now() + config.timeout);
    if (!selected) return fmt::format("{}: SELECT {}: {}", c == &sides.master ? "master" : "snapshot", db,
                                      selected.error().message);
  }
  std::string cursor = "0";
  // SCAN returns every key present for the whole walk at least once, and a
  // key twice only if the table is resized meanwhile: nothing writes to the
  // private server, so only keys expiring there could make it shrink. A key
  // seen twice in a merge is equal the second time (restored already):
  // the data stays right, only the counts would be off by such keys.
  do {
    auto page = sides.snapshot.command({"SCAN", cursor, "COUNT", std::to_string(config.batch_keys)},
                                       Clock::now() + config.batch_timeout);
    if (!page) return "snapshot: SCAN: " + page.error().message;
    if (page->type != Reply::Type::array || page->elements.size() != 2 ||
        page->elements[1].type != Reply::Type::array) {
      return std::string("snapshot: SCAN: unexpected reply");
    }
    cursor = page->elements[0].str;
    std::vector<std::string> keys;
    keys.reserve(page->elements[1].elements.size());
    for (const auto& k : page->elements[1].elements) keys.push_back(k.str);
    if (!keys.empty()) {
      if (auto failed = run_batch(sides, keys, config, report)) return failed;
    }
    if (on_progress) on_progress(Progress{report.diff.scanned, report.snapshot_keys, report.restored + report.replaced});
    if (config.batch_pause.count() > 0) std::this_thread::sleep_for(config.batch_pause);
  } while (cursor != "0");
  return std::nullopt;
}

}  // namespace

CompareReport compare_snapshot(const CompareConfig& config, const std::function<void(const ha::Step&)>& on_step,
                               const std::function<void(const Progress&)>& on_progress) {
  CompareReport report;
  report.diff.sample_limit = config.sample_limit;
  Reporter steps(report, on_step);

  // check-master: a master, and (merge) of a related history.
  auto start = Clock::now();
  const auto deadline = start + config.timeout;
  auto master = redis::Connection::open(config.master.endpoint, config.master.credentials, deadline);
  if (!master) {
    steps.record("check-master", start, false, master.error().message);
    return steps.fail(std::string(redis::to_token(master.error().code)));
  }
  auto info = redis::replication_info(master.value(), deadline);
  if (!info) {
    steps.record("check-master", start, false, info.error().message);
    return steps.fail(std::string(redis::to_token(info.error().code)));
  }
  report.master_ids = HistoryIds{info->master_replid, info->master_replid2};
  report.relation = relation_of(config.snapshot_ids.value_or(HistoryIds{}), report.master_ids);
  report.relation_reason = relation_reason(report.relation, config.snapshot_ids.value_or(HistoryIds{}),
                                           report.master_ids);
  if (info->role != redis::Role::master) {
    steps.record("check-master", start, false,
                 fmt::format("{} is a {}, not a master: merge into the master of the pair",
                             config.master.endpoint.to_string(), redis::to_token(info->role)));
    return steps.fail("target-not-master");
  }
  if (config.merge && !is_related(report.relation) && !config.force) {
    steps.record("check-master", start, false, report.relation_reason + "; --force merges anyway");
    return steps.fail(report.relation == Relation::unknown ? "history-unknown" : "history-unrelated");
  }
  steps.record("check-master", start, true,
               fmt::format("master={} relation={}", config.master.endpoint.to_string(), to_token(report.relation)));

  // load-snapshot
  start = Clock::now();
  auto server = ScratchServer::start(config.redis_server, config.rdb, config.load_timeout);
  if (!server) {
    steps.record("load-snapshot", start, false, server.error().message);
    return steps.fail("snapshot-unreadable");
  }
  const auto& scratch = server.value();
  auto snapshot = redis::Connection::open(scratch->endpoint(), {}, Clock::now() + config.timeout);
  std::vector<redis::KeyspaceDb> dbs;
  std::string load_error;
  if (!snapshot) {
    load_error = snapshot.error().message;
  } else if (auto ks = snapshot->command({"INFO", "keyspace"}, Clock::now() + config.timeout); !ks) {
    load_error = ks.error().message;
  } else if (auto parsed = redis::parse_keyspace_databases(ks->str); !parsed) {
    load_error = parsed.error().message;
  } else {
    dbs = parsed.value();
  }
  if (!load_error.empty()) {
    steps.record("load-snapshot", start, false, load_error);
    return steps.fail("snapshot-unreadable");
  }
  for (const auto& db : dbs) report.snapshot_keys += db.keys;
  steps.record("load-snapshot", start, true,
               fmt::format("rdb={} keys={} pid={} dir={}", config.rdb, report.snapshot_keys, scratch->pid(),
                           scratch->directory()));

  // compare / merge
  start = Clock::now();
  const std::string phase = !config.merge ? "compare" : config.dry_run ? "merge-dry-run" : "merge";
  std::optional<std::string> failed;
  for (const auto& db : dbs) {
    failed = compare_db(Sides{snapshot.value(), master.value()}, db.db, config, report, on_progress);
    if (failed) break;
  }
  const DiffSummary& d = report.diff;
  std::string counts = fmt::format("scanned={} absent={} equal={} conflict={} expired={}", d.scanned, d.absent,
                                   d.equal, d.conflict, d.expired);
  if (config.merge) {
    counts += fmt::format(" restored={} replaced={} skipped={} raced={} policy={}", report.restored,
                          report.replaced, report.skipped, report.raced, to_token(config.policy));
  }
  steps.record(phase, start, !failed, failed ? *failed + " (" + counts + ")" : counts);

  start = Clock::now();
  const std::string dir = scratch->directory();
  server.value()->stop();
  steps.record("stop-snapshot", start, true, "removed=" + dir);
  if (failed) return steps.fail(config.merge ? "merge-failed" : "compare-failed");
  return steps.succeed();
}

}  // namespace vipkit::vipctl
