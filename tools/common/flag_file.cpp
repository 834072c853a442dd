#include "common/flag_file.hpp"

#include <fstream>
#include <sstream>

#include "common/atomic_file.hpp"

namespace vipkit::common {

std::string flag_file_content(bool raised) { return raised ? "1\n" : "0\n"; }

IoResult<bool> set_flag_file(const std::string& path, bool raised) {
  const std::string wanted = flag_file_content(raised);
  {
    // Read every time rather than remember: an operator (or keepalived's
    // init_file) may have written it since.
    std::ifstream in(path);
    std::ostringstream current;
    if (in && (current << in.rdbuf()) && current.str() == wanted) return false;
  }
  if (auto st = write_file_atomically(path, wanted, 0644); !st) return st.error();
  return true;
}

}  // namespace vipkit::common
