#pragma once
// Sends gratuitous ARP frames (built by vrrp/core/garp) on one interface
// through an AF_PACKET socket, so neighbours and switches learn that the VIP
// now lives behind this host's MAC.
#include <cstdint>
#include <string>

#include "vrrp/core/garp.hpp"
#include "vrrp/sys/sys_error.hpp"

namespace vipkit::vrrp::sys {

class GarpSender {
 public:
  static SysResult<GarpSender> open(const std::string& interface);
  GarpSender(GarpSender&& other) noexcept : fd_(other.fd_), ifindex_(other.ifindex_), mac_(other.mac_) { other.fd_ = -1; }
  GarpSender& operator=(GarpSender&&) = delete;
  GarpSender(const GarpSender&) = delete;
  ~GarpSender();

  SysResult<Done> announce(std::uint32_t vip_be);
  const Mac& mac() const { return mac_; }

 private:
  GarpSender(int fd, int ifindex, Mac mac) : fd_(fd), ifindex_(ifindex), mac_(mac) {}
  int fd_;
  int ifindex_;
  Mac mac_;
};

}  // namespace vipkit::vrrp::sys
