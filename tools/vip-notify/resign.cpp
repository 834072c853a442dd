#include "vip-notify/resign.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "vrrp/core/state_machine.hpp"
#include "vrrp/sys/vrrp_socket.hpp"

namespace vipkit::notify {

vrrp::Advert resign_advert(const common::Speaker& speaker) {
  vrrp::Advert advert;
  advert.version = speaker.version == 2 ? vrrp::Version::v2 : vrrp::Version::v3;
  advert.vrid = speaker.vrid;
  advert.priority = vrrp::priority_resign;
  advert.max_advert_interval = speaker.advert_interval;
  advert.addresses = speaker.addresses_be;
  if (!speaker.auth_pass.empty()) {
    advert.auth_type = vrrp::AuthType::simple;
    std::copy(speaker.auth_pass.begin(), speaker.auth_pass.end(), advert.auth_data.begin());
  }
  return advert;
}

IoStatus send_resign(const common::Speaker& speaker) {
  auto opened = vrrp::sys::VrrpSocket::open({speaker.interface, speaker.unicast_peers_be});
  if (!opened) return opened.error();
  auto& socket = opened.value();
  try {
    const auto message = vrrp::encode(resign_advert(speaker), socket.primary_address_be(), socket.destination_be());
    if (auto sent = socket.send(message); !sent) return sent.error();
  } catch (const std::invalid_argument& e) {  // resolve_instance checked the interval: not expected
    return IoError{EINVAL, e.what()};
  }
  return Done{};
}

bool resign_logged(const common::InstanceConfig& c, const common::Logger& log, std::string_view why) {
  const common::Speaker& s = *c.speaker;
  const std::string line = fmt::format("vrrp-resign instance={} vrid={} interface={} priority=0 reason={}",
                                       c.instance, s.vrid, s.interface, why);
  if (auto sent = send_resign(s); !sent) {
    log->error("{} result=failed error={}", line, common::kv_value(sent.error().message));
    return false;
  }
  log->info("{} result=ok", line);
  return true;
}

}  // namespace vipkit::notify
