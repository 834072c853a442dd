#include "vipctl/snapshot_render.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace vipkit::vipctl {

namespace {

template <class T>
nlohmann::json or_null(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
template <class T>
std::string or_unknown(const std::optional<T>& v) {
  return v ? fmt::format("{}", *v) : "unknown";
}
std::string names(const std::vector<std::string>& sample, std::size_t count) {
  if (sample.empty()) return "";
  std::string out = ": ";
  for (std::size_t i = 0; i < sample.size(); ++i) out += (i ? " " : "") + sample[i];
  if (count > sample.size()) out += fmt::format(" ... ({} more)", count - sample.size());
  return out;
}

}  // namespace

nlohmann::json snapshot_rows_json(const std::vector<SnapshotRow>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : rows) {
    out.push_back({{"name", r.base},
                   {"time", r.time ? nlohmann::json(iso_time(*r.time)) : nlohmann::json(nullptr)},
                   {"instance", r.instance},
                   {"replid", r.replid},
                   {"replid2", r.replid2},
                   {"offset", or_null(r.offset)},
                   {"keys", or_null(r.keys)},
                   {"rdb_bytes", or_null(r.rdb_size)},
                   {"problem", r.problem}});
  }
  return out;
}

std::string snapshot_rows_text(const std::vector<SnapshotRow>& rows) {
  if (rows.empty()) return "no snapshots\n";
  std::string out = fmt::format("{:<20} {:<20} {:<40} {:>12} {:>10} {:>12}  {}\n", "time", "instance", "replid",
                                "offset", "keys", "rdb_bytes", "name");
  for (const auto& r : rows) {
    out += fmt::format("{:<20} {:<20} {:<40} {:>12} {:>10} {:>12}  {}{}\n", r.time ? iso_time(*r.time) : "unknown",
                       r.instance.empty() ? "-" : r.instance, r.replid.empty() ? "-" : r.replid,
                       or_unknown(r.offset), or_unknown(r.keys), or_unknown(r.rdb_size), r.base,
                       r.problem.empty() ? "" : "  (" + r.problem + ")");
  }
  return out;
}

nlohmann::json compare_json(const CompareReport& r, const CompareView& v) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : r.outcome.steps) {
    steps.push_back({{"name", s.name}, {"ok", s.ok}, {"ms", s.duration.count()}, {"detail", s.detail}});
  }
  const DiffSummary& d = r.diff;
  nlohmann::json out = {
      {"op", v.merge ? "merge" : "diff"},
      {"ok", r.outcome.ok},
      {"reason", r.outcome.reason},
      {"rdb", v.rdb},
      {"relation", std::string(to_token(r.relation))},
      {"relation_reason", r.relation_reason},
      {"master_replid", r.master_ids.replid},
      {"master_replid2", r.master_ids.replid2},
      {"snapshot_keys", r.snapshot_keys},
      {"scanned", d.scanned},
      {"absent", d.absent},
      {"equal", d.equal},
      {"conflict", d.conflict},
      {"expired", d.expired},
      {"absent_sample", d.absent_sample},
      {"conflict_sample", d.conflict_sample},
      {"expired_sample", d.expired_sample},
      {"steps", steps},
  };
  if (v.merge) {
    out["dry_run"] = v.dry_run;
    out["on_conflict"] = std::string(to_token(v.policy));
    out["restored"] = r.restored;
    out["replaced"] = r.replaced;
    out["skipped"] = r.skipped;
    out["raced"] = r.raced;
    out["raced_sample"] = r.raced_sample;
  }
  return out;
}

std::string compare_text(const CompareReport& r, const CompareView& v) {
  const DiffSummary& d = r.diff;
  std::string out = fmt::format("snapshot {}: {} keys; history {} ({})\n", v.rdb, r.snapshot_keys,
                                to_token(r.relation), r.relation_reason);
  out += fmt::format("  only in the snapshot  {:>10}{}\n", d.absent, names(d.absent_sample, d.absent));
  out += fmt::format("  equal                 {:>10}\n", d.equal);
  out += fmt::format("  conflicts             {:>10}{}\n", d.conflict, names(d.conflict_sample, d.conflict));
  out += fmt::format("  expired               {:>10}{}\n", d.expired, names(d.expired_sample, d.expired));
  if (v.merge) {
    const char* verb = v.dry_run ? "would restore" : "restored";
    out += fmt::format("merge ({}{}): {} {}, {} {} (snapshot-wins), {} conflicts skipped", to_token(v.policy),
                       v.dry_run ? ", dry run" : "", verb, r.restored, v.dry_run ? "would replace" : "replaced",
                       r.replaced, r.skipped);
    if (r.raced > 0) out += fmt::format(", {} written on the master meanwhile and left{}", r.raced,
                                        names(r.raced_sample, r.raced));
    out += "\n";
  }
  if (!r.outcome.ok) {
    const auto failed = std::find_if(r.outcome.steps.begin(), r.outcome.steps.end(), [](const auto& s) { return !s.ok; });
    const std::string detail = failed == r.outcome.steps.end() ? "" : failed->detail;
    out += fmt::format("result: {} ({})\n", r.outcome.reason, detail);
  } else {
    out += "result: ok\n";
  }
  return out;
}

}  // namespace vipkit::vipctl
