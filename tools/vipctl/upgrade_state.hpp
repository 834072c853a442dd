#pragma once
// The record vipctl cluster upgrade keeps between runs: the ids of the
// masters before the upgrade began, which --swap-back gives the slots back
// to and which the view after a stop no longer tells, and the ids of the
// nodes the upgrade has restarted, which a re-run skips even without
// --expect-version (docs/cluster-upgrade.md, "Resume rule"). Written at the
// first run (before the first step) and after each restart, read by a
// re-run, removed when a run completes.
//
// Where: --state-file FILE, else DIR/cluster-upgrade-state.json when
// --backup-dir DIR is given, else nowhere (a re-run then takes the masters
// of its own view as the originals, as the plan's note says).
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "vipctl/cluster_status.hpp"

namespace vipkit::vipctl {

struct UpgradeState {
  std::string seed;                           // --node of the first run, for the operator
  std::vector<std::string> original_masters;  // node ids
  std::vector<std::string> restarted;         // node ids, in the order restarted; absent in older files
  bool operator==(const UpgradeState&) const = default;
};

// JSON text, one document. Pure.
std::string upgrade_state_text(const UpgradeState& state);
// The error: one line saying what is wrong with the text. Pure.
Result<UpgradeState, std::string> parse_upgrade_state(std::string_view text);

// The state file for these options ("" when there is none).
std::string upgrade_state_path(const std::string& state_file, const std::string& backup_dir);

// The original masters of a cluster view: the masters serving slots, in
// the view's order. Pure.
std::vector<std::string> original_masters_of(const ClusterStatus& status);

}  // namespace vipkit::vipctl
