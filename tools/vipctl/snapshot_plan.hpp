#pragma once
// What to do with each key of a snapshot, given what the live master holds:
// the classification behind `vipctl snapshot diff` and the merge plan behind
// `vipctl snapshot merge`. Pure: the driver (snapshot_compare) feeds it the
// DUMP payloads and PTTLs it read, and executes the actions it returns.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redis/reply.hpp"

namespace vipkit::vipctl {

// One key as read from both sides: DUMP from the snapshot's private server
// (nullopt: the key is gone) with its PTTL there (-1: no expiry, -2: gone),
// and DUMP from the live master (nullopt: absent there).
struct KeyObservation {
  std::string name;
  std::optional<std::string> snapshot_dump;
  long long snapshot_pttl_ms = -1;
  std::optional<std::string> master_dump;
};

enum class KeyClass {
  absent,    // only in the snapshot: the diverged write to give back
  equal,     // both hold the same value (TTLs are not compared)
  conflict,  // both hold the key with different values
  expired,   // the snapshot's copy expired (or vanished) before it could be read
};
std::string_view to_token(KeyClass c);

// A DUMP payload ends with the RDB version (2 bytes) and a CRC64 (8 bytes)
// (rdb.c createDumpPayload); values are compared without that trailer, so a
// master of another Redis version than the private server's does not turn
// every key into a conflict.
std::string_view dump_value_bytes(std::string_view payload);

KeyClass classify(const KeyObservation& key);

// Second look at a conflict. Two DUMPs of one value can differ: a set or a
// hash in a hashtable is dumped in the order of its buckets, which depend on
// each server's random hash seed, and a list or a sorted set is dumped in
// the encoding its size and history gave it (listpack, quicklist nodes,
// skiplist). For those four types the value is read in full on both sides
// (the command below) and compared as content: members unordered for sets
// and hashes, in order for lists and sorted sets. Strings and streams keep
// the DUMP verdict. nullopt: no second look for this type.
std::optional<std::vector<std::string>> content_command(std::string_view type, const std::string& key);
// Do the two replies of content_command hold the same value? An error reply
// on either side (the master holds another type: WRONGTYPE) is "no".
bool same_content(std::string_view type, const redis::Reply& snapshot, const redis::Reply& master);

enum class ConflictPolicy { skip, snapshot_wins };
std::string_view to_token(ConflictPolicy p);
std::optional<ConflictPolicy> parse_conflict_policy(std::string_view text);

enum class MergeAction {
  none,             // equal or expired: nothing to do
  restore,          // RESTORE key ttl payload (fails with BUSYKEY if written meanwhile)
  restore_replace,  // RESTORE key ttl payload REPLACE (snapshot-wins)
  skip_conflict,    // a conflict left as the master has it, and listed
};
std::string_view to_token(MergeAction a);

MergeAction plan_merge(KeyClass c, ConflictPolicy policy);

// RESTORE's ttl argument: the remaining PTTL in ms, 0 for no expiry.
long long restore_ttl_ms(long long snapshot_pttl_ms);

// The RESTORE command for an action (restore or restore_replace); empty for
// the others.
std::vector<std::string> restore_command(const KeyObservation& key, MergeAction action);

// Counts per class and a bounded sample of names of each.
struct DiffSummary {
  std::size_t scanned = 0;
  std::size_t absent = 0;
  std::size_t equal = 0;
  std::size_t conflict = 0;
  std::size_t expired = 0;
  std::vector<std::string> absent_sample;
  std::vector<std::string> conflict_sample;
  std::vector<std::string> expired_sample;
  std::size_t sample_limit = 20;

  void add(const std::string& name, KeyClass c);
};

}  // namespace vipkit::vipctl
