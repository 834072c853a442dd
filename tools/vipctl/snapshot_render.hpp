#pragma once
// `vipctl snapshot list|diff|merge|prune` output: a table for people, JSON
// (nlohmann) for scripts. Pure.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vipctl/snapshot_catalog.hpp"
#include "vipctl/snapshot_compare.hpp"

namespace vipkit::vipctl {

nlohmann::json snapshot_rows_json(const std::vector<SnapshotRow>& rows);
std::string snapshot_rows_text(const std::vector<SnapshotRow>& rows);

struct CompareView {
  std::string rdb;
  bool merge = false;
  bool dry_run = false;
  ConflictPolicy policy = ConflictPolicy::skip;
};
nlohmann::json compare_json(const CompareReport& report, const CompareView& view);
std::string compare_text(const CompareReport& report, const CompareView& view);

}  // namespace vipkit::vipctl
