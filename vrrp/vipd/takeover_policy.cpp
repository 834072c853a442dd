#include "vrrp/vipd/takeover_policy.hpp"

namespace vipkit::vipd {

bool advert_muted(vrrp::State state, std::uint8_t priority, bool vips_held, bool took_over) {
  return took_over && state == vrrp::State::master && priority != vrrp::priority_resign && !vips_held;
}

ResignResponse on_master_resign(vrrp::State state, bool local_redis_master) {
  if (state != vrrp::State::backup) return ResignResponse::skew;
  return local_redis_master ? ResignResponse::take_over_now : ResignResponse::check_then;
}

}  // namespace vipkit::vipd
