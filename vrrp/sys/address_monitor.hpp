#pragma once
// A netlink socket subscribed to the kernel's IPv4 address notifications
// (RTNLGRP_IPV4_IFADDR): every address added or removed on any interface of
// this network namespace, as RTM_NEWADDR / RTM_DELADDR messages, for the
// event loop to poll. Decoding is vrrp/core/rtnl_address's business.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "vrrp/sys/sys_error.hpp"

struct nl_sock;

namespace vipkit::vrrp::sys {

class AddressMonitor {
 public:
  static SysResult<AddressMonitor> open();

  struct Received {
    std::size_t size = 0;  // 0: nothing pending
    // ENOBUFS: the kernel dropped notifications because the socket's buffer
    // was full; what the table holds now must be read again (a dump).
    bool overrun = false;
  };
  // One datagram into `buffer`, without blocking.
  SysResult<Received> receive(std::span<std::uint8_t> buffer);
  int fd() const;

 private:
  struct Free { void operator()(nl_sock* s) const; };
  explicit AddressMonitor(std::unique_ptr<nl_sock, Free> sock) : sock_(std::move(sock)) {}
  std::unique_ptr<nl_sock, Free> sock_;
};

}  // namespace vipkit::vrrp::sys
