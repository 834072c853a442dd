// The short variant of a fuzz target, for ctest in every build that is not
// VIPKIT_FUZZ (g++; build-asan runs it under ASan + UBSan): the target's
// LLVMFuzzerTestOneInput gets each seed, then a fixed number of mutations of
// it from a fixed-seed PRNG — the same inputs on every run and every
// machine, no clock, no clang build. Long coverage-guided runs stay
// libFuzzer's (scripts/fuzz.sh).
//   fuzz_NAME [--mutations N] [--last-input FILE] SEED_FILE_OR_DIR...
// A finding is a crash, as under libFuzzer: the targets abort on a broken
// property, the sanitizers report and exit, an exception escapes to
// std::terminate. With --last-input, FILE holds the input being run, so a
// crash leaves it behind (tests/fuzz/run.sh prints it). Exit 0 with one line
// `replay NAME: S seeds, M inputs, no finding`, 2 on a bad argument.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

using Bytes = std::vector<std::uint8_t>;
namespace fs = std::filesystem;

// run.sh gives libFuzzer -max_len=4096: no mutation grows an input past it.
constexpr std::size_t max_len = 4096;
// Per seed: up to about 3 s a target under ASan in a Debug build (CI's
// build-asan) on two shared cores; a slower target is given fewer
// (tests/fuzz/CMakeLists.txt).
constexpr std::size_t default_mutations = 500;

struct Options {
  std::size_t mutations = default_mutations;
  std::string last_input;
  std::vector<fs::path> paths;
};

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if ((arg == "--mutations" || arg == "--last-input") && i + 1 == argc) {
      throw std::invalid_argument(std::string(arg) + " needs a value");
    }
    if (arg == "--mutations") {
      const std::string_view value = argv[++i];
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), options.mutations);
      if (ec != std::errc() || end != value.data() + value.size()) {
        throw std::invalid_argument("--mutations wants a count, not '" + std::string(value) + "'");
      }
    } else if (arg == "--last-input") {
      options.last_input = argv[++i];
    } else {
      options.paths.emplace_back(arg);
    }
  }
  return options;
}

Bytes read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad() || !in.is_open()) throw std::runtime_error("cannot read " + path.string());
  return bytes;
}

// Every file named, and every file in a directory named, in name order:
// directory_iterator's order is unspecified, and the inputs must not vary.
std::vector<Bytes> read_seeds(const std::vector<fs::path>& paths) {
  std::vector<Bytes> seeds;
  for (const fs::path& path : paths) {
    std::vector<fs::path> files;
    if (fs::is_directory(path)) {
      for (const auto& entry : fs::directory_iterator(path)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());
    } else {
      files.push_back(path);
    }
    for (const fs::path& file : files) seeds.push_back(read_file(file));
  }
  return seeds;
}

// A number in [0, n): rng() % n rather than uniform_int_distribution, whose
// output the standard leaves to each library (mt19937's own is fixed).
std::size_t below(std::mt19937& rng, std::size_t n) { return n == 0 ? 0 : rng() % n; }

// One of libFuzzer's simple mutations, applied to `input` in place.
void mutate_once(Bytes& input, const std::vector<Bytes>& seeds, std::mt19937& rng) {
  // An empty input can only grow: insert a byte.
  const std::size_t kind = input.empty() ? 3 : below(rng, 7);
  const std::size_t at = below(rng, input.size());
  switch (kind) {
    case 0:  // flip a bit
      input[at] = static_cast<std::uint8_t>(input[at] ^ (1U << below(rng, 8)));
      break;
    case 1: {  // set a byte to 0, 0xff or anything
      static constexpr std::uint8_t edges[] = {0x00, 0xff};
      input[at] = below(rng, 3) < 2 ? edges[below(rng, 2)] : static_cast<std::uint8_t>(rng());
      break;
    }
    case 2:  // a byte of the input elsewhere: the parsers are text, this moves delimiters around
      input[at] = input[below(rng, input.size())];
      break;
    case 3:  // insert a byte
      input.insert(input.begin() + static_cast<std::ptrdiff_t>(below(rng, input.size() + 1)),
                   static_cast<std::uint8_t>(rng()));
      break;
    case 4:  // truncate
      input.resize(at);
      break;
    case 5: {  // duplicate a slice at another place
      const std::size_t length = 1 + below(rng, input.size() - at);
      const Bytes slice(input.begin() + static_cast<std::ptrdiff_t>(at),
                        input.begin() + static_cast<std::ptrdiff_t>(at + length));
      input.insert(input.begin() + static_cast<std::ptrdiff_t>(below(rng, input.size() + 1)), slice.begin(),
                   slice.end());
      break;
    }
    default: {  // splice: this input's head, another seed's tail
      const Bytes& other = seeds[below(rng, seeds.size())];
      const std::size_t from = below(rng, other.size() + 1);
      input.resize(at);
      input.insert(input.end(), other.begin() + static_cast<std::ptrdiff_t>(from), other.end());
      break;
    }
  }
  if (input.size() > max_len) input.resize(max_len);
}

// Writes each input to FILE before it runs: what a crash leaves behind.
class LastInput {
 public:
  explicit LastInput(const std::string& path)
      : fd_(path.empty() ? -1 : ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) {
    if (!path.empty() && fd_ < 0) throw std::runtime_error("cannot write " + path);
  }
  ~LastInput() {
    if (fd_ >= 0) ::close(fd_);
  }
  LastInput(const LastInput&) = delete;
  LastInput& operator=(const LastInput&) = delete;

  void write(const Bytes& input) const {
    if (fd_ < 0) return;
    const auto size = static_cast<off_t>(input.size());
    if (::ftruncate(fd_, size) != 0 || ::pwrite(fd_, input.data(), input.size(), 0) != size) {
      throw std::runtime_error("cannot write the last input");
    }
  }

 private:
  int fd_;
};

// noexcept: an exception out of the target is a finding, std::terminate as
// under libFuzzer, not an error of this program's own.
void call_target(const std::uint8_t* data, std::size_t size) noexcept { LLVMFuzzerTestOneInput(data, size); }

// The target reads a heap block of exactly the input's size, as libFuzzer
// gives it: a vector's spare capacity would hide an overread from ASan.
void run(const Bytes& input, const LastInput& last_input) {
  last_input.write(input);
  const std::unique_ptr<std::uint8_t[]> copy(new std::uint8_t[input.size()]);
  std::copy(input.begin(), input.end(), copy.get());
  call_target(copy.get(), input.size());
}

// The seed of the PRNG that mutates seed file `index`: fixed, so every run
// replays the same inputs ("vipf", plus the index).
std::uint32_t prng_seed(std::size_t index) { return static_cast<std::uint32_t>(0x76697066U + index); }

}  // namespace

int main(int argc, char** argv) {
  std::string name = fs::path(argv[0]).filename().string();
  if (name.rfind("fuzz_", 0) == 0) name.erase(0, 5);
  try {
    const Options options = parse_options(argc, argv);
    const std::vector<Bytes> seeds = read_seeds(options.paths);
    if (seeds.empty()) throw std::invalid_argument("no seed (usage: SEED_FILE_OR_DIR...)");
    const LastInput last_input(options.last_input);
    std::size_t inputs = 0;
    for (std::size_t i = 0; i < seeds.size(); ++i) {
      run(seeds[i], last_input);
      ++inputs;
      std::mt19937 rng(prng_seed(i));
      for (std::size_t m = 0; m < options.mutations; ++m) {
        Bytes input = seeds[i];
        for (std::size_t n = 1 + below(rng, 3); n > 0; --n) mutate_once(input, seeds, rng);
        run(input, last_input);
        ++inputs;
      }
    }
    std::printf("replay %s: %zu seeds, %zu inputs, no finding\n", name.c_str(), seeds.size(), inputs);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "replay %s: %s\n", name.c_str(), e.what());
    return 2;
  }
}
