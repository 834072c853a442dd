#include "vrrp/sys/address_monitor.hpp"

#include <linux/rtnetlink.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include <cerrno>

namespace vipkit::vrrp::sys {

namespace {

// A burst of changes (a flushed interface, a script adding addresses) fits
// without an overrun; libnl's default is 32 KiB.
constexpr int receive_buffer = 256 * 1024;

}  // namespace

void AddressMonitor::Free::operator()(nl_sock* s) const { nl_socket_free(s); }

SysResult<AddressMonitor> AddressMonitor::open() {
  std::unique_ptr<nl_sock, Free> sock(nl_socket_alloc());
  if (!sock) return SysError{ENOMEM, "nl_socket_alloc failed"};
  // Notifications carry no sequence number of ours.
  nl_socket_disable_seq_check(sock.get());
  if (int err = nl_connect(sock.get(), NETLINK_ROUTE); err < 0) return nl_error(err, "connect rtnetlink");
  if (int err = nl_socket_add_membership(sock.get(), RTNLGRP_IPV4_IFADDR); err < 0) {
    return nl_error(err, "join RTNLGRP_IPV4_IFADDR");
  }
  if (int err = nl_socket_set_nonblocking(sock.get()); err < 0) return nl_error(err, "non-blocking rtnetlink");
  if (int err = nl_socket_set_buffer_size(sock.get(), receive_buffer, 0); err < 0) {
    return nl_error(err, "rtnetlink receive buffer");
  }
  return AddressMonitor(std::move(sock));
}

int AddressMonitor::fd() const { return nl_socket_get_fd(sock_.get()); }

SysResult<AddressMonitor::Received> AddressMonitor::receive(std::span<std::uint8_t> buffer) {
  // recv(2) itself, not nl_recvmsgs: the bytes go to the pure decoder.
  const ssize_t n = ::recv(fd(), buffer.data(), buffer.size(), MSG_DONTWAIT);
  if (n >= 0) return Received{static_cast<std::size_t>(n), false};
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return Received{};
  if (errno == ENOBUFS) return Received{0, true};
  return errno_error("receive rtnetlink notification");
}

}  // namespace vipkit::vrrp::sys
