#include "ha/sentinel_decision.hpp"

#include <algorithm>
#include <functional>
#include <map>

#include <fmt/format.h>

namespace vipkit::ha {

namespace {

using Report = SentinelReport;

bool is_local(const SentinelInput& in, const redis::Endpoint& address) {
  return std::find(in.local_addresses.begin(), in.local_addresses.end(), address) != in.local_addresses.end();
}

// The highest epoch a majority stands behind: with the votes' epochs sorted
// from newest, the majority-th one. A lone Sentinel reporting a huge epoch
// (lying, or restored from elsewhere) cannot raise it, so it cannot make
// every later honest report look stale.
std::uint64_t majority_epoch(std::vector<std::uint64_t> epochs, int majority) {
  std::sort(epochs.begin(), epochs.end(), std::greater<>());
  return epochs[static_cast<std::size_t>(majority - 1)];
}

struct Tally {
  int views = 0;
  int stale = 0;
  std::vector<std::uint64_t> local_votes;
  std::optional<redis::Endpoint> local_named;  // the local address the votes used
  bool local_failing_over = false;
  // Votes for masters other than the local Redis, by address.
  std::map<std::string, std::pair<redis::Endpoint, std::vector<std::uint64_t>>> other_votes;
};

Tally count(const SentinelInput& in) {
  Tally t;
  for (const Report& r : in.reports) {
    if (r.kind != Report::Kind::master) continue;
    // An older configuration than one a majority already confirmed: the
    // Sentinel has not caught up (or was restored from an old file). It is
    // no view at all, so it can neither move the VIP back nor count towards
    // a quorum.
    if (r.config_epoch < in.last_epoch) {
      ++t.stale;
      continue;
    }
    ++t.views;
    // A Sentinel failing a master over no longer stands behind it: it is a
    // view (it answers) but no vote for anyone.
    const bool local = is_local(in, r.master);
    if (r.failover_in_progress) {
      t.local_failing_over = t.local_failing_over || local;
      continue;
    }
    if (local) {
      t.local_votes.push_back(r.config_epoch);
      if (!t.local_named) t.local_named = r.master;
    } else {
      auto& [address, epochs] = t.other_votes[r.master.to_string()];
      address = r.master;
      epochs.push_back(r.config_epoch);
    }
  }
  return t;
}

SentinelDecision decision(VipAction vip, FenceAction fence, std::string_view reason) {
  SentinelDecision d;
  d.vip = vip;
  d.fence = fence;
  d.reason = reason;
  return d;
}

// The row: which of hold/release and fence/unfence, and why.
SentinelDecision row(const SentinelInput& in, const Tally& t, int majority, bool other_elected) {
  const FenceAction fence = in.policy.fence ? FenceAction::fence : FenceAction::none;
  const FenceAction unfence = in.policy.fence ? FenceAction::unfence : FenceAction::none;
  // The local Redis must itself answer role:master: Sentinel's word alone
  // never puts the VIP over a replica or over nothing.
  if (in.local_role == LocalRole::unreachable) return decision(VipAction::release, FenceAction::none, "local-unreachable");
  if (in.local_role == LocalRole::replica) return decision(VipAction::release, unfence, "local-replica");
  if (static_cast<int>(t.local_votes.size()) >= majority) return decision(VipAction::hold, unfence, "local-elected");
  if (t.views < majority) {
    if (in.policy.on_quorum_loss == OnQuorumLoss::release) return decision(VipAction::release, fence, "quorum-lost");
    // keep: hold what is held, never take without a quorum, and do not
    // fence a master the policy keeps serving.
    if (in.holding_vip) return decision(VipAction::hold, unfence, "quorum-lost-keep");
    return decision(VipAction::release, FenceAction::none, "quorum-lost-not-holding");
  }
  // Not fenced: Sentinel demotes the old master (REPLICAOF in a MULTI) as
  // soon as it reaches it, and CLIENT PAUSE WRITE would hold that EXEC —
  // and the Sentinel's link behind it — for as long as the fence is renewed
  // (the e2e suite saw it: the old master stayed master for good). Writes
  // that reach it meanwhile bypass the VIP, and Sentinel's resync discards
  // them whatever we do.
  if (other_elected) return decision(VipAction::release, unfence, "other-elected");
  if (t.local_failing_over) return decision(VipAction::release, fence, "failover-in-progress");
  return decision(VipAction::release, fence, "no-majority");
}

}  // namespace

std::string_view to_token(OnQuorumLoss policy) {
  return policy == OnQuorumLoss::keep ? "keep" : "release";
}

std::string_view to_token(VipAction action) { return action == VipAction::hold ? "hold" : "release"; }

std::string_view to_token(FenceAction action) {
  switch (action) {
    case FenceAction::none: return "none";
    case FenceAction::fence: return "fence";
    case FenceAction::unfence: return "unfence";
  }
  return "none";
}

int sentinel_majority(int configured) { return configured / 2 + 1; }

LocalRole local_role_of(redis::Role role) {
  return role == redis::Role::master ? LocalRole::master : LocalRole::replica;
}

std::vector<redis::Endpoint> local_addresses_of(const redis::Endpoint& advertised, const redis::Endpoint& local) {
  std::vector<redis::Endpoint> out{advertised};
  if (!(local == advertised)) out.push_back(local);
  return out;
}

SentinelDecision decide_sentinel(const SentinelInput& in) {
  const int configured = static_cast<int>(in.reports.size());
  const int majority = sentinel_majority(configured);
  const Tally t = count(in);

  // Majority of the *configured* Sentinels, not of those answering: two
  // hosts on either side of a partition each reach a different subset, and
  // only a majority of the whole set cannot be had by both at once (each
  // Sentinel names one master at a time).
  std::optional<redis::Endpoint> elected;
  std::uint64_t epoch = in.last_epoch;
  if (static_cast<int>(t.local_votes.size()) >= majority) {
    elected = t.local_named;
    epoch = majority_epoch(t.local_votes, majority);
  }
  for (const auto& [key, vote] : t.other_votes) {
    if (static_cast<int>(vote.second.size()) < majority) continue;
    elected = vote.first;
    epoch = majority_epoch(vote.second, majority);
  }

  SentinelDecision d = row(in, t, majority, elected && !is_local(in, *elected));
  d.epoch = std::max(epoch, in.last_epoch);
  d.elected = elected;
  d.configured = configured;
  d.views = t.views;
  d.stale = t.stale;
  d.votes = static_cast<int>(t.local_votes.size());
  return d;
}

std::string to_text(const SentinelDecision& d) {
  return fmt::format("{} reason={} views={}/{} votes={} stale={} elected={} epoch={} fence={}", to_token(d.vip),
                     d.reason, d.views, d.configured, d.votes, d.stale,
                     d.elected ? d.elected->to_string() : std::string("none"), d.epoch, to_token(d.fence));
}

}  // namespace vipkit::ha
