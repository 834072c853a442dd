#include <catch2/catch.hpp>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/atomic_file.hpp"
#include "temp_dir.hpp"

using namespace vipkit;
using test::TempDir;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("atomic file: the content replaces the file, the mode is exact", "[common][atomic_file]") {
  TempDir dir;
  const std::string path = (dir.path / "f").string();
  REQUIRE(common::write_file_atomically(path, "one\n", 0640).ok());
  REQUIRE(common::write_file_atomically(path, "two\n", 0640).ok());
  CHECK(slurp(path) == "two\n");
  CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write | std::filesystem::perms::group_read));
  // No temp file is left behind.
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path), std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("atomic file: a failure names the step and leaves no temp file", "[common][atomic_file]") {
  TempDir dir;
  const auto made = common::write_file_atomically((dir.path / "missing-dir" / "f").string(), "x");
  REQUIRE_FALSE(made.ok());
  CHECK(made.error().code == ENOENT);
  CHECK_THAT(made.error().message, Catch::StartsWith("create ") && Catch::Contains("No such file or directory"));
  // The target is a directory: rename fails, the temp file goes.
  std::filesystem::create_directories(dir.path / "d" / "inside");
  const auto renamed = common::write_file_atomically((dir.path / "d").string(), "x");
  REQUIRE_FALSE(renamed.ok());
  CHECK_THAT(renamed.error().message, Catch::StartsWith("rename "));
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path), std::filesystem::directory_iterator()) == 1);
}

// vipd writes its prefer file from two threads (control socket, Redis
// thread). With one temp name per process the second writer truncated the
// first one's temp file and one of the two renames found nothing to rename.
TEST_CASE("atomic file: threads of one process writing the same file never collide", "[common][atomic_file]") {
  TempDir dir;
  const std::string path = (dir.path / "shared").string();
  constexpr int threads = 4;
  constexpr int writes = 300;
  std::vector<int> failures(threads, 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      // Each thread's content is long enough that a torn file shows.
      const std::string content = std::string(4096, static_cast<char>('a' + t)) + "\n";
      for (int i = 0; i < writes; ++i) {
        if (!common::write_file_atomically(path, content)) ++failures[t];
      }
    });
  }
  for (auto& th : pool) th.join();
  for (int t = 0; t < threads; ++t) CHECK(failures[t] == 0);
  const std::string final_content = slurp(path);
  REQUIRE(final_content.size() == 4097);
  CHECK(final_content.find_first_not_of(final_content[0]) == 4096);
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path), std::filesystem::directory_iterator()) == 1);
}
