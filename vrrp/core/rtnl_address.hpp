#pragma once
// rtnetlink address messages (RTM_NEWADDR / RTM_DELADDR, rtnetlink(7)),
// decoded byte-wise from what recv() returned on a NETLINK_ROUTE socket:
// the notifications of RTNLGRP_IPV4_IFADDR, or a dump reply. No socket here.
//
//   nlmsghdr  | len u32 | type u16 | flags u16 | seq u32 | pid u32 |   (16 bytes)
//   ifaddrmsg | family u8 | prefixlen u8 | flags u8 | scope u8 | index u32 |  (8 bytes)
//   rtattr... | len u16 | type u16 | payload, padded to 4 |
//
// Netlink integers are in host byte order; addresses in network order.
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace vipkit::vrrp {

struct AddressEvent {
  enum class Kind { added, removed };  // RTM_NEWADDR (also each entry of a dump), RTM_DELADDR
  Kind kind = Kind::added;
  int ifindex = 0;
  int prefix_length = 0;
  std::uint32_t address_be = 0;  // IFA_LOCAL (IFA_ADDRESS when there is none)
  std::string label;             // IFA_LABEL, e.g. "eth0:vip"

  bool operator==(const AddressEvent&) const = default;
};

// What one datagram holds: the IPv4 address messages in order (other
// families and message types are skipped), whether it ended a dump
// (NLMSG_DONE), and the errno of an NLMSG_ERROR reply (0: none).
struct AddressBatch {
  std::vector<AddressEvent> events;
  bool done = false;
  int error = 0;
};

// A malformed datagram: what is wrong with it, in one line.
struct RtnlDecodeError {
  std::string reason;
};

std::variant<AddressBatch, RtnlDecodeError> decode_address_messages(std::span<const std::uint8_t> datagram);

// What a batch says about each VIP (same order as `vips_be`): nothing, or
// the last word on it — added or removed on `ifindex` (matched by address:
// the prefix length does not make it another VIP).
enum class VipChange { none, added, removed };
std::vector<VipChange> vip_changes(std::span<const AddressEvent> events, int ifindex,
                                   std::span<const std::uint32_t> vips_be);

}  // namespace vipkit::vrrp
