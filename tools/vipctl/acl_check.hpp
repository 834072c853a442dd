#pragma once
// Does the ACL user have every right a switchover (and its rollback, which
// runs the other way) needs, on both nodes? Redis >= 7.0 answers that without
// side effects: ACL DRYRUN user command args. Older servers cannot be asked:
// the default user (no --user) is taken to have every right, a named user is
// "unknown" (it does not block; the switch reports any NOPERM it meets).
#include <string>
#include <vector>

#include "redis/connection.hpp"
#include "vipctl/node_view.hpp"
#include "vipctl/preflight.hpp"

namespace vipkit::vipctl {

// The commands a switchover with `method` may send to either node.
std::vector<std::vector<std::string>> commands_needed(Method method);

// Verdict of one ACL DRYRUN: OK, a denial text, or the DRYRUN itself failed
// (our user may not run ACL, or the server is older): unknown.
struct DryRun {
  std::string command;      // "failover", "client|pause", ...
  CheckStatus status = CheckStatus::unknown;
  std::string text;         // Redis's denial text or error
};
DryRun classify_dryrun(const std::string& command, const redis::Result<redis::Reply>& reply);

// One check named "acl" out of every node's dry runs. Pure.
Check summarize_acl(const std::string& user, const std::vector<DryRun>& runs);

// Ask both nodes (I/O, bounded by `deadline`).
Check check_acl(const std::vector<const NodeView*>& nodes, const redis::Credentials& credentials, Method method,
                redis::Deadline deadline);

}  // namespace vipkit::vipctl
