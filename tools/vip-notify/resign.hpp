#pragma once
// The priority-0 advert keepalived sends when it stops (RFC 3768 §6.4.3,
// RFC 5798 §6.4.3 "Shutdown"), sent by vip-notify for a keepalived that was
// killed holding the VIP. A backup that hears it takes over after its skew
// time ((256 - priority) / 256 of an advert interval: under 1 s at advert_int
// 1) instead of three missed adverts plus skew. Only after the VIP has left
// this host: the peer must not take over while we still answer on it.
#include <string>

#include "base/io_error.hpp"
#include "common/instance_config.hpp"
#include "common/log.hpp"
#include "vrrp/core/advert.hpp"

namespace vipkit::notify {

// Pure: the advert keepalived would have sent for `speaker` at priority 0.
vrrp::Advert resign_advert(const common::Speaker& speaker);

// Send it once on the speaker's interface, from its primary address, to
// 224.0.0.18 or each unicast peer; the error says why not.
IoStatus send_resign(const common::Speaker& speaker);

// send_resign for the instance's speaker (c.speaker set), logged as
// `vrrp-resign instance=… vrid=… interface=… priority=0 reason=WHY result=…`.
bool resign_logged(const common::InstanceConfig& c, const common::Logger& log, std::string_view why);

}  // namespace vipkit::notify
