#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "common/atomic_file.hpp"
#include "common/preference.hpp"
#include "temp_dir.hpp"

using namespace vipkit;
using common::preference_after;

namespace {

const redis::Endpoint a{"192.0.2.11", 16465, ""};
const redis::Endpoint b{"192.0.2.12", 16465, ""};

ha::SwitchoverMarker to(const redis::Endpoint& target) { return {target.to_string(), "", "promote", "", 0}; }

}  // namespace

TEST_CASE("preference: the automation moves its own host towards the marker", "[common][preference]") {
  // On host a (self = a, peer = b).
  SECTION("the marker names this node: at least preferred, vipctl's 2 kept") {
    CHECK(preference_after(0, to(a), a, b) == 1);
    CHECK(preference_after(-1, to(a), a, b) == 1);
    CHECK(preference_after(2, to(a), a, b) == 2);
  }
  SECTION("the marker names the peer: at most neutral, vipctl's -1 kept") {
    CHECK(preference_after(2, to(b), a, b) == 0);
    CHECK(preference_after(1, to(b), a, b) == 0);
    CHECK(preference_after(-1, to(b), a, b) == -1);
  }
  SECTION("without --self, a marker that does not name the peer names us") {
    CHECK(preference_after(0, to(a), std::nullopt, b) == 1);
    CHECK(preference_after(2, to(b), std::nullopt, b) == 0);
  }
  SECTION("a marker naming neither node, or unparsable, changes nothing") {
    CHECK(preference_after(1, to(redis::Endpoint{"192.0.2.99", 16465, ""}), a, b) == 1);
    CHECK(preference_after(1, ha::SwitchoverMarker{"not an address", "", "", "", 0}, a, b) == 1);
  }
}

TEST_CASE("preference: the seeds/003 arithmetic keeps a planned switch", "[common][preference]") {
  // keepalived: priority 100 (a) / 90 (b), track_file weight 15, eligibility
  // weight -60. The side vipctl ran on wins at once; after the other host's
  // automation has followed the marker, the winner still wins.
  auto prio = [](int base, int pref) { return base + 15 * pref; };
  // promote on b while a was preferred (1)
  CHECK(prio(90, 2) > prio(100, 1));
  CHECK(prio(90, 2) > prio(100, preference_after(1, to(b), a, b)));
  // demote on a (preferred 2) while b is neutral
  CHECK(prio(100, -1) < prio(90, 0));
  CHECK(prio(100, -1) < prio(90, preference_after(0, to(b), b, a)));
  // a node that is not eligible never outranks any eligible one
  CHECK(prio(100, 2) - 60 < prio(90, -1));
}

TEST_CASE("preference file: missing is neutral, garbage is an error", "[common][preference]") {
  const std::string dir = "/tmp/vipkit-pref-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/x.prefer";
  auto missing = common::read_preference(path);
  REQUIRE(missing.ok());
  CHECK(missing.value() == 0);

  const auto written = common::write_preference(path, 2);
  REQUIRE(written.ok());
  CHECK(written->from == 0);
  CHECK(written->to == 2);
  CHECK(common::read_preference(path).value() == 2);
  CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
         std::filesystem::perms::group_read | std::filesystem::perms::others_read));

  std::ofstream(path, std::ios::trunc) << "7\n";
  auto out_of_range = common::read_preference(path);
  REQUIRE_FALSE(out_of_range.ok());
  CHECK(out_of_range.error().code == EINVAL);
  CHECK(out_of_range.error().message.find("holds '7'") != std::string::npos);
  std::ofstream(path, std::ios::trunc) << "one\n";
  CHECK_FALSE(common::read_preference(path).ok());

  std::ofstream(path, std::ios::trunc) << " 1 \n";
  const auto change = common::follow_marker(path, to(b), a, b);
  REQUIRE(change.ok());
  REQUIRE(change.value().has_value());
  CHECK(change.value()->from == 1);
  CHECK(change.value()->to == 0);
  CHECK(common::read_preference(path).value() == 0);
  const auto again = common::follow_marker(path, to(b), a, b);
  REQUIRE(again.ok());
  CHECK_FALSE(again.value().has_value());
  std::filesystem::remove_all(dir);
}

// vipctl promote on a host whose automation follows an old marker naming
// this node: the follower must not compute from a value read before
// vipctl's write (it would write 1 over vipctl's 2). The other process's
// side is played here by a flock on the documented lock file (a second open
// file description: flock excludes it exactly as another process's).
TEST_CASE("preference file: a read-modify-write waits for another writer's lock", "[common][preference]") {
  test::TempDir dir;
  const std::string path = (dir.path / "x.prefer").string();
  REQUIRE(common::write_preference(path, common::preference_neutral).ok());

  const int other = ::open(common::preference_lock_path(path).c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
  REQUIRE(other >= 0);
  REQUIRE(::flock(other, LOCK_EX) == 0);
  auto follower = std::async(std::launch::async, [&] { return common::follow_marker(path, to(a), a, b); });
  // Give a follower that ignores the lock the time to read 0 and write 1
  // (a correct one is blocked: its outcome does not depend on this wait).
  CHECK(follower.wait_for(std::chrono::milliseconds(100)) == std::future_status::timeout);
  REQUIRE(common::write_file_atomically(path, "2\n", 0644).ok());  // vipctl promote, under its lock
  ::close(other);

  const auto followed = follower.get();
  REQUIRE(followed.ok());
  CHECK_FALSE(followed.value().has_value());  // it read vipctl's 2: max(2, 1) is no change
  CHECK(common::read_preference(path).value() == common::preference_promoted);
}

TEST_CASE("preference file: a lock held too long is a timeout naming the lock file", "[common][preference]") {
  test::TempDir dir;
  const std::string path = (dir.path / "x.prefer").string();
  const int other = ::open(common::preference_lock_path(path).c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
  REQUIRE(other >= 0);
  REQUIRE(::flock(other, LOCK_EX) == 0);
  const auto blocked = common::write_preference(path, 2);
  ::close(other);
  REQUIRE_FALSE(blocked.ok());
  CHECK(blocked.error().code == ETIMEDOUT);
  CHECK_THAT(blocked.error().message, Catch::Contains("x.prefer.lock"));
  CHECK(common::read_preference(path).value() == common::preference_neutral);  // nothing written
}

// vipd: the control socket writes 2 on the main thread while the Redis
// thread follows a marker naming the peer (min(current, 0)). Whatever the
// interleaving, last() is what the file holds: the main thread adopts it.
TEST_CASE("PreferenceFile: one writer for two threads, last() in file order", "[common][preference]") {
  test::TempDir dir;
  common::PreferenceFile file((dir.path / "x.prefer").string());
  REQUIRE(file.read().ok());
  CHECK(file.last() == 0);
  int control_failures = 0;  // Catch's assertions are not for other threads
  std::thread control([&] {
    for (int i = 0; i < 200; ++i) {
      if (!file.write(i % 2 ? common::preference_promoted : common::preference_demoted)) ++control_failures;
    }
  });
  int worker_failures = 0;
  for (int i = 0; i < 200; ++i) {
    if (!file.follow_marker(to(b), a, b)) ++worker_failures;
  }
  control.join();
  CHECK(control_failures == 0);
  CHECK(worker_failures == 0);
  CHECK(file.last() == common::read_preference(file.path()).value());
}

TEST_CASE("PreferenceFile: a requested value counts at once and reaches the file at the flush",
          "[common][preference]") {
  test::TempDir dir;
  common::PreferenceFile file((dir.path / "x.prefer").string());
  REQUIRE(file.write(common::preference_preferred).ok());
  // The event loop's request: no file I/O, the value counts now.
  file.request(common::preference_demoted);
  CHECK(file.last() == common::preference_demoted);
  CHECK(common::read_preference(file.path()).value() == common::preference_preferred);
  // The worker's flush writes it.
  auto flushed = file.flush();
  REQUIRE(flushed.ok());
  REQUIRE(flushed.value());
  CHECK(flushed.value()->to == common::preference_demoted);
  CHECK(common::read_preference(file.path()).value() == common::preference_demoted);
  // Nothing requested: nothing written.
  auto again = file.flush();
  REQUIRE(again.ok());
  CHECK_FALSE(again.value());
  // A marker followed before the flush computes from the requested value:
  // vipctl promote here (2), then the marker naming this host (towards 1)
  // leaves the stronger 2.
  file.request(common::preference_promoted);
  REQUIRE(file.follow_marker(to(a), a, b).ok());
  CHECK(file.last() == common::preference_promoted);
  CHECK(common::read_preference(file.path()).value() == common::preference_promoted);
}

TEST_CASE("PreferenceFile, deferred: the marker-follower and the writers wait on no file", "[common][preference]") {
  test::TempDir dir;
  common::PreferenceFile file((dir.path / "x.prefer").string(), common::PreferenceFile::Writes::deferred);
  REQUIRE(file.read().value() == common::preference_neutral);
  // The marker names this host: towards 1, counted at once, the file untouched.
  auto followed = file.follow_marker(to(a), a, b);
  REQUIRE(followed.ok());
  REQUIRE(followed.value());
  CHECK(followed.value()->from == common::preference_neutral);
  CHECK(followed.value()->to == common::preference_preferred);
  CHECK(file.last() == common::preference_preferred);
  CHECK(file.read().value() == common::preference_preferred);  // what the file is about to hold
  CHECK(common::read_preference(file.path()).value() == common::preference_neutral);
  // The same marker again: no change.
  CHECK_FALSE(file.follow_marker(to(a), a, b).value());
  // A write is a request too; the flush writes the latest.
  auto written = file.write(common::preference_promoted);
  REQUIRE(written.ok());
  CHECK(written.value().from == common::preference_preferred);
  REQUIRE(file.flush().ok());
  CHECK(common::read_preference(file.path()).value() == common::preference_promoted);
  // Then the marker naming the peer: towards 0 from the promoted 2.
  REQUIRE(file.follow_marker(to(b), a, b).value());
  CHECK(file.last() == common::preference_neutral);
  REQUIRE(file.flush().ok());
  CHECK(common::read_preference(file.path()).value() == common::preference_neutral);
}
