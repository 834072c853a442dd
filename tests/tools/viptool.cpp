// vipkit-viptool — drives vrrp/sys/VipManager from the command line so the
// netlink adapter can be tested against a real kernel in a namespace:
//   vipkit-viptool add|del|has|garp IFACE ADDR[/PLEN] [LABEL]
// Exit: 0 done / present, 1 absent (has), 2 error (one line on stderr).
#include <arpa/inet.h>

#include <cstdio>
#include <optional>
#include <string>

#include "vrrp/sys/garp_sender.hpp"
#include "vrrp/sys/vip_address.hpp"

using namespace vipkit::vrrp::sys;

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: vipkit-viptool add|del|has|garp IFACE ADDR[/PLEN] [LABEL]\n");
    return 2;
  }
  const std::string verb = argv[1], spec = argv[3];
  VipAddress vip;
  const auto slash = spec.find('/');
  if (slash != std::string::npos) vip.prefix_length = std::stoi(spec.substr(slash + 1));
  if (inet_pton(AF_INET, spec.substr(0, slash).c_str(), &vip.address_be) != 1) {
    std::fprintf(stderr, "vipkit-viptool: bad address %s\n", spec.c_str());
    return 2;
  }
  if (argc > 4) vip.label = argv[4];
  if (verb == "garp") {
    auto sender = GarpSender::open(argv[2]);
    std::optional<SysError> e;
    if (!sender) {
      e = sender.error();
    } else if (auto announced = sender.value().announce(vip.address_be); !announced) {
      e = announced.error();
    }
    if (e) {
      std::fprintf(stderr, "vipkit-viptool: %s\n", e->message.c_str());
      return 2;
    }
    return 0;
  }
  auto index = interface_index(argv[2]);
  if (!index) {
    std::fprintf(stderr, "vipkit-viptool: %s\n", index.error().message.c_str());
    return 2;
  }
  auto manager = VipManager::open();
  if (!manager) {
    std::fprintf(stderr, "vipkit-viptool: %s\n", manager.error().message.c_str());
    return 2;
  }
  VipManager& m = manager.value();
  const int ifindex = index.value();
  std::optional<SysError> error;
  if (verb == "add") {
    auto added = m.add(ifindex, vip);
    if (!added) error = added.error();
  } else if (verb == "del") {
    auto removed = m.remove(ifindex, vip);
    if (!removed) error = removed.error();
  } else if (verb == "has") {
    auto present = m.present(ifindex, vip.address_be);
    if (!present) error = present.error();
    else return present.value() ? 0 : 1;
  } else {
    std::fprintf(stderr, "vipkit-viptool: unknown verb %s\n", verb.c_str());
    return 2;
  }
  if (error) {
    std::fprintf(stderr, "vipkit-viptool: %s\n", error->message.c_str());
    return 2;
  }
  return 0;
}
