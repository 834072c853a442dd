#include "common/yield_file.hpp"

#include <fstream>
#include <sstream>

#include "common/atomic_file.hpp"

namespace vipkit::common {

std::string yield_file_content(bool yield) { return yield ? "1\n" : "0\n"; }

Result<bool, std::string> set_yield_file(const std::string& path, bool yield) {
  const std::string wanted = yield_file_content(yield);
  {
    // Read every time rather than remember: an operator (or keepalived's
    // init_file) may have written it since.
    std::ifstream in(path);
    std::ostringstream current;
    if (in && (current << in.rdbuf()) && current.str() == wanted) return false;
  }
  if (auto st = write_file_atomically(path, wanted, 0644); !st) return st.error().message;
  return true;
}

}  // namespace vipkit::common
