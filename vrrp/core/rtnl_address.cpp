#include "vrrp/core/rtnl_address.hpp"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace vipkit::vrrp {

namespace {

constexpr std::size_t nlmsghdr_size = 16;
constexpr std::size_t ifaddrmsg_size = 8;
constexpr std::size_t rtattr_header_size = 4;

constexpr std::size_t align4(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

// Host byte order, as the kernel writes netlink integers.
template <class T>
T host_value(std::span<const std::uint8_t> b, std::size_t at) {
  T value;
  std::memcpy(&value, b.data() + at, sizeof value);
  return value;
}

std::string sizes(const char* what, std::size_t claimed, std::size_t left) {
  return std::string(what) + " is " + std::to_string(claimed) + "; only " + std::to_string(left) + " bytes left";
}

// One RTM_NEWADDR / RTM_DELADDR payload (after the nlmsghdr). Empty reason: fine.
std::string decode_ifaddr(std::span<const std::uint8_t> body, AddressEvent& out, bool& ipv4) {
  if (body.size() < ifaddrmsg_size) return sizes("ifaddrmsg", ifaddrmsg_size, body.size());
  ipv4 = body[0] == AF_INET;
  out.prefix_length = body[1];
  out.ifindex = static_cast<int>(host_value<std::uint32_t>(body, 4));
  bool have_local = false;
  for (std::size_t at = ifaddrmsg_size; at + rtattr_header_size <= body.size();) {
    const auto len = host_value<std::uint16_t>(body, at);
    const auto type = host_value<std::uint16_t>(body, at + 2);
    if (len < rtattr_header_size) return "rtattr length is " + std::to_string(len) + "; should be at least 4";
    if (len > body.size() - at) return sizes("rtattr length", len, body.size() - at);
    const auto payload = body.subspan(at + rtattr_header_size, len - rtattr_header_size);
    if (ipv4 && (type == IFA_LOCAL || (type == IFA_ADDRESS && !have_local))) {
      if (payload.size() != 4) return "IPv4 address attribute is " + std::to_string(payload.size()) + " bytes; should be 4";
      std::memcpy(&out.address_be, payload.data(), 4);  // network order, as on the wire
      have_local = have_local || type == IFA_LOCAL;
    } else if (type == IFA_LABEL) {
      const auto end = std::find(payload.begin(), payload.end(), std::uint8_t{0});
      out.label.assign(payload.begin(), end);
    }
    at += align4(len);
  }
  return {};
}

}  // namespace

std::variant<AddressBatch, RtnlDecodeError> decode_address_messages(std::span<const std::uint8_t> datagram) {
  AddressBatch batch;
  for (std::size_t at = 0; at < datagram.size();) {
    const std::size_t left = datagram.size() - at;
    if (left < nlmsghdr_size) return RtnlDecodeError{sizes("nlmsghdr", nlmsghdr_size, left)};
    const auto len = host_value<std::uint32_t>(datagram, at);
    const auto type = host_value<std::uint16_t>(datagram, at + 4);
    if (len < nlmsghdr_size) return RtnlDecodeError{"nlmsg_len is " + std::to_string(len) + "; should be at least 16"};
    if (len > left) return RtnlDecodeError{sizes("nlmsg_len", len, left)};
    const auto body = datagram.subspan(at + nlmsghdr_size, len - nlmsghdr_size);
    if (type == NLMSG_DONE) {
      batch.done = true;
    } else if (type == NLMSG_ERROR) {
      if (body.size() < 4) return RtnlDecodeError{sizes("nlmsgerr", 4, body.size())};
      batch.error = -host_value<std::int32_t>(body, 0);  // the kernel sends -errno (0: an ACK)
    } else if (type == RTM_NEWADDR || type == RTM_DELADDR) {
      AddressEvent event;
      event.kind = type == RTM_NEWADDR ? AddressEvent::Kind::added : AddressEvent::Kind::removed;
      bool ipv4 = false;
      if (auto reason = decode_ifaddr(body, event, ipv4); !reason.empty()) return RtnlDecodeError{reason};
      if (ipv4) batch.events.push_back(std::move(event));
    }
    at += align4(len);
  }
  return batch;
}

std::vector<VipChange> vip_changes(std::span<const AddressEvent> events, int ifindex,
                                   std::span<const std::uint32_t> vips_be) {
  std::vector<VipChange> changes(vips_be.size(), VipChange::none);
  for (const auto& event : events) {
    if (event.ifindex != ifindex) continue;
    for (std::size_t i = 0; i < vips_be.size(); ++i) {
      if (event.address_be != vips_be[i]) continue;
      changes[i] = event.kind == AddressEvent::Kind::added ? VipChange::added : VipChange::removed;
    }
  }
  return changes;
}

}  // namespace vipkit::vrrp
