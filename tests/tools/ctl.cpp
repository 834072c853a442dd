// vipkit-ctl — one request to vipd's control socket through the shared
// control client (the one vipctl uses): vipkit-ctl SOCKET '{"cmd":"status"}'
// prints the response line; exit 1 when there is none.
#include <cstdio>
#include <string>

#include "common/control_client.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: vipkit-ctl SOCKET JSON\n");
    return 2;
  }
  const auto request = nlohmann::json::parse(argv[2], nullptr, /*allow_exceptions=*/false);
  if (request.is_discarded()) {
    std::fprintf(stderr, "vipkit-ctl: the request is not JSON\n");
    return 2;
  }
  const auto response = vipkit::common::control_request(argv[1], request, std::chrono::milliseconds(3000));
  if (!response) {
    std::fprintf(stderr, "vipkit-ctl: %s\n", response.error().message.c_str());
    return 1;
  }
  std::printf("%s\n", response->dump().c_str());
  return 0;
}
