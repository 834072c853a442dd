#pragma once
// Add, remove and look up a VIP on an interface through rtnetlink
// (libnl-route-3). Idempotent: adding an address that is there, or removing
// one that is not, succeeds — a restarted vipd and a hand-made change must
// not turn into errors.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "vrrp/sys/sys_error.hpp"

struct nl_sock;

namespace vipkit::vrrp::sys {

struct VipAddress {
  std::uint32_t address_be = 0;
  int prefix_length = 32;  // /32 by default: the VIP adds no route of its own
  std::string label;       // optional, e.g. "eth0:vip" (at most 15 characters)
};

// An IPv4 address as an interface carries it now.
struct LocalAddress {
  int ifindex = 0;
  VipAddress address;  // prefix length and label as the kernel holds them
};

class VipManager {
 public:
  static SysResult<VipManager> open();

  // true: added now; false: it was there already (not an error).
  SysResult<bool> add(int ifindex, const VipAddress& vip);
  SysResult<Done> remove(int ifindex, const VipAddress& vip);
  // The IPv4 addresses on `ifindex` now: one dump of the kernel's table.
  SysResult<std::vector<std::uint32_t>> addresses(int ifindex);
  SysResult<bool> present(int ifindex, std::uint32_t address_be);
  // Every interface that carries the address now (one, normally): what
  // remove() needs when only the address is known.
  SysResult<std::vector<LocalAddress>> locate(std::uint32_t address_be);

 private:
  struct Free { void operator()(nl_sock* s) const; };
  explicit VipManager(std::unique_ptr<nl_sock, Free> sock) : sock_(std::move(sock)) {}
  std::unique_ptr<nl_sock, Free> sock_;
};

// if_nametoindex with the reason on failure.
SysResult<int> interface_index(const std::string& name);

}  // namespace vipkit::vrrp::sys
