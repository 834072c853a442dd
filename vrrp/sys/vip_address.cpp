#include "vrrp/sys/vip_address.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace vipkit::vrrp::sys {

namespace {

struct AddrFree { void operator()(rtnl_addr* a) const { rtnl_addr_put(a); } };
struct NlAddrFree { void operator()(nl_addr* a) const { nl_addr_put(a); } };
struct CacheFree { void operator()(nl_cache* c) const { nl_cache_free(c); } };

std::unique_ptr<rtnl_addr, AddrFree> make_addr(int ifindex, const VipAddress& vip) {
  std::unique_ptr<rtnl_addr, AddrFree> addr(rtnl_addr_alloc());
  std::unique_ptr<nl_addr, NlAddrFree> local(nl_addr_build(AF_INET, &vip.address_be, sizeof vip.address_be));
  nl_addr_set_prefixlen(local.get(), vip.prefix_length);
  rtnl_addr_set_ifindex(addr.get(), ifindex);
  rtnl_addr_set_family(addr.get(), AF_INET);
  rtnl_addr_set_local(addr.get(), local.get());  // takes its own reference
  rtnl_addr_set_prefixlen(addr.get(), vip.prefix_length);
  if (!vip.label.empty()) rtnl_addr_set_label(addr.get(), vip.label.c_str());
  return addr;
}

std::string text_of(const VipAddress& vip) {
  char buf[INET_ADDRSTRLEN] = "?";
  inet_ntop(AF_INET, &vip.address_be, buf, sizeof buf);
  return std::string(buf) + "/" + std::to_string(vip.prefix_length);
}

}  // namespace

void VipManager::Free::operator()(nl_sock* s) const { nl_socket_free(s); }

SysResult<VipManager> VipManager::open() {
  std::unique_ptr<nl_sock, Free> sock(nl_socket_alloc());
  if (!sock) return SysError{ENOMEM, "nl_socket_alloc failed"};
  if (int err = nl_connect(sock.get(), NETLINK_ROUTE); err < 0) return nl_error(err, "connect rtnetlink");
  return VipManager(std::move(sock));
}

SysResult<bool> VipManager::add(int ifindex, const VipAddress& vip) {
  auto addr = make_addr(ifindex, vip);
  const int err = rtnl_addr_add(sock_.get(), addr.get(), 0);
  if (err == 0) return true;
  if (err == -NLE_EXIST) return false;  // already there: fine
  return nl_error(err, "add " + text_of(vip));
}

SysResult<Done> VipManager::remove(int ifindex, const VipAddress& vip) {
  auto addr = make_addr(ifindex, vip);
  const int err = rtnl_addr_delete(sock_.get(), addr.get(), 0);
  // The kernel answers EADDRNOTAVAIL for an address that is not there.
  if (err == 0 || err == -NLE_NOADDR || err == -NLE_OBJ_NOTFOUND) return Done{};
  return nl_error(err, "remove " + text_of(vip));
}

SysResult<std::vector<std::uint32_t>> VipManager::addresses(int ifindex) {
  nl_cache* raw = nullptr;
  if (int err = rtnl_addr_alloc_cache(sock_.get(), &raw); err < 0) return nl_error(err, "list addresses");
  std::unique_ptr<nl_cache, CacheFree> cache(raw);
  std::vector<std::uint32_t> out;
  for (nl_object* o = nl_cache_get_first(cache.get()); o != nullptr; o = nl_cache_get_next(o)) {
    auto* a = reinterpret_cast<rtnl_addr*>(o);
    if (rtnl_addr_get_ifindex(a) != ifindex || rtnl_addr_get_family(a) != AF_INET) continue;
    const nl_addr* local = rtnl_addr_get_local(a);
    if (local == nullptr || nl_addr_get_len(local) != 4) continue;
    std::uint32_t be = 0;
    std::memcpy(&be, nl_addr_get_binary_addr(local), 4);
    out.push_back(be);
  }
  return out;
}

SysResult<bool> VipManager::present(int ifindex, std::uint32_t address_be) {
  auto listed = addresses(ifindex);
  if (!listed) return listed.error();
  const auto& all = listed.value();
  return std::find(all.begin(), all.end(), address_be) != all.end();
}

SysResult<std::vector<LocalAddress>> VipManager::locate(std::uint32_t address_be) {
  nl_cache* raw = nullptr;
  if (int err = rtnl_addr_alloc_cache(sock_.get(), &raw); err < 0) return nl_error(err, "list addresses");
  std::unique_ptr<nl_cache, CacheFree> cache(raw);
  std::vector<LocalAddress> found;
  for (nl_object* o = nl_cache_get_first(cache.get()); o != nullptr; o = nl_cache_get_next(o)) {
    auto* a = reinterpret_cast<rtnl_addr*>(o);
    if (rtnl_addr_get_family(a) != AF_INET) continue;
    const nl_addr* local = rtnl_addr_get_local(a);
    if (local != nullptr && nl_addr_get_len(local) == 4 &&
        std::memcmp(nl_addr_get_binary_addr(local), &address_be, 4) == 0) {
      const char* label = rtnl_addr_get_label(a);
      found.push_back({rtnl_addr_get_ifindex(a),
                       VipAddress{address_be, rtnl_addr_get_prefixlen(a), label ? label : ""}});
    }
  }
  return found;
}

SysResult<int> interface_index(const std::string& name) {
  const unsigned index = if_nametoindex(name.c_str());
  if (index == 0) return errno_error("interface " + name);
  return static_cast<int>(index);
}

}  // namespace vipkit::vrrp::sys
