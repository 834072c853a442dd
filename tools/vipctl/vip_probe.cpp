#include "vipctl/vip_probe.hpp"

#include "common/local_address.hpp"

namespace vipkit::vipctl {

VipView probe_vip(const std::string& address, int port, const redis::Credentials& credentials,
                  redis::Deadline deadline) {
  VipView view{address, port, std::nullopt, std::nullopt, ""};
  if (auto here = common::is_local_address(address)) view.local = here.value();
  auto connection = redis::Connection::open(redis::Endpoint{address, port, ""}, credentials, deadline);
  if (!connection) {
    view.error = connection.error().message;
    return view;
  }
  auto reply = connection->command({"INFO", "server"}, deadline);
  if (!reply) {
    view.error = reply.error().message;
    return view;
  }
  auto server = redis::parse_server_info(reply->str);
  if (!server) {
    view.error = server.error().message;
    return view;
  }
  view.run_id = server->run_id;
  return view;
}

std::string_view to_token(VipHolder holder) {
  switch (holder) {
    case VipHolder::local: return "local";
    case VipHolder::peer: return "peer";
    case VipHolder::other: return "other";
    case VipHolder::none: return "none";
  }
  return "none";
}

VipHolder holder_of(const VipView& vip, const NodeView& local, const NodeView& peer) {
  if (!vip.run_id) return VipHolder::none;
  if (local.server && local.server->run_id == *vip.run_id) return VipHolder::local;
  if (peer.server && peer.server->run_id == *vip.run_id) return VipHolder::peer;
  return VipHolder::other;
}

}  // namespace vipkit::vipctl
