#pragma once
// Where is the VIP now? Two views that must agree: is the address on a local
// interface (what keepalived/vipd did on this host), and which Redis answers
// on VIP:port (what a client gets) — named by its run_id.
#include <optional>
#include <string>
#include <string_view>

#include "redis/connection.hpp"
#include "vipctl/node_view.hpp"

namespace vipkit::vipctl {

struct VipView {
  std::string address;
  int port = 0;
  std::optional<bool> local;          // on a local interface now (nullopt: could not tell)
  std::optional<std::string> run_id;  // run_id of the Redis answering on address:port
  std::string error;                  // why run_id is unknown (connect refused, timeout, ...)
};

VipView probe_vip(const std::string& address, int port, const redis::Credentials& credentials,
                  redis::Deadline deadline);

// Which node answers on the VIP, by run_id.
enum class VipHolder { local, peer, other, none };
std::string_view to_token(VipHolder holder);
VipHolder holder_of(const VipView& vip, const NodeView& local, const NodeView& peer);

}  // namespace vipkit::vipctl
