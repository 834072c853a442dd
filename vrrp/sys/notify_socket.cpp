#include "vrrp/sys/notify_socket.hpp"

#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

namespace vipkit::vrrp::sys {

SysResult<NotifySocket> NotifySocket::open(const std::string& name, bool abstract) {
  // The leading NUL of an abstract name, or a path's trailing one, needs its byte.
  if (name.empty() || name.size() + 1 > sizeof(sockaddr_un::sun_path)) {
    return SysError{ENAMETOOLONG, "notify socket '" + name + "': name of 1.." +
                                      std::to_string(sizeof(sockaddr_un::sun_path) - 1) + " characters expected"};
  }
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno_error("socket(AF_UNIX, SOCK_DGRAM)");
  return NotifySocket(Fd(fd), name, abstract);
}

SysResult<Done> NotifySocket::send(std::string_view message) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::size_t offset = abstract_ ? 1 : 0;  // abstract: sun_path[0] stays NUL
  std::memcpy(address.sun_path + offset, name_.data(), name_.size());
  // An abstract name is exactly as long as the address length says.
  const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + offset + name_.size() + (abstract_ ? 0 : 1));
  const ssize_t n = ::sendto(fd_.get(), message.data(), message.size(), MSG_NOSIGNAL,
                             reinterpret_cast<const sockaddr*>(&address), length);
  if (n < 0) return errno_error("notify " + std::string(abstract_ ? "@" : "") + name_);
  return Done{};
}

}  // namespace vipkit::vrrp::sys
