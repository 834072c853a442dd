#include "vrrp/vipd/vip_holder.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>

#include "vrrp/core/rtnl_address.hpp"

namespace vipkit::vipd {

namespace sys = vrrp::sys;

sys::SysResult<VipHolder> VipHolder::open(const VipdConfig& config, common::Logger log) {
  auto ifindex = sys::interface_index(config.interface);
  if (!ifindex) return ifindex.error();
  auto vips = sys::VipManager::open();
  if (!vips) return vips.error();
  auto monitor = sys::AddressMonitor::open();
  if (!monitor) return monitor.error();
  auto garp = sys::GarpSender::open(config.interface);
  if (!garp) return garp.error();
  auto timer = sys::Timer::create();
  if (!timer) return timer.error();
  return VipHolder(config, std::move(log), ifindex.value(), std::move(vips).value(), std::move(monitor).value(),
                   std::move(garp).value(), std::move(timer).value());
}

VipHolder::VipHolder(const VipdConfig& config, common::Logger log, int ifindex, sys::VipManager vips,
                     sys::AddressMonitor monitor, sys::GarpSender garp, sys::Timer timer)
    : config_(config),
      log_(std::move(log)),
      ifindex_(ifindex),
      vips_(std::move(vips)),
      monitor_(std::move(monitor)),
      garp_(std::move(garp)),
      garp_timer_(std::move(timer)) {
  for (const auto& vip : config_.vips) vips_be_.push_back(vip.address_be);
}

std::string VipHolder::text(const sys::VipAddress& vip) const {
  char buf[INET_ADDRSTRLEN] = "?";
  inet_ntop(AF_INET, &vip.address_be, buf, sizeof buf);
  return std::string(buf) + "/" + std::to_string(vip.prefix_length);
}

void VipHolder::remove_stale() {
  auto listed = vips_.addresses(ifindex_);
  if (!listed) {
    log_->error("vip-remove instance={} reason=stale error={}", config_.redis.instance,
                common::kv_value(listed.error().message));
    return;
  }
  const auto& here = listed.value();
  for (const auto& vip : config_.vips) {
    if (std::find(here.begin(), here.end(), vip.address_be) == here.end()) continue;
    auto removed = vips_.remove(ifindex_, vip);
    if (!removed) {
      log_->error("vip-remove instance={} vip={} reason=stale error={}", config_.redis.instance, text(vip),
                  common::kv_value(removed.error().message));
    } else {
      log_->info("vip-remove instance={} vip={} interface={} reason=stale", config_.redis.instance, text(vip),
                 config_.interface);
    }
  }
}

void VipHolder::add(sys::TimePoint now) {
  for (const auto& vip : config_.vips) {
    auto added = vips_.add(ifindex_, vip);
    if (!added) {
      log_->error("vip-add instance={} vip={} error={}", config_.redis.instance, text(vip),
                  common::kv_value(added.error().message));
      restore_error_ = added.error().message;
      restore_failed_ = true;  // retried at each advert
    } else {
      log_->info("vip-add instance={} vip={} interface={}", config_.redis.instance, text(vip), config_.interface);
    }
  }
  held_ = true;
  // RFC 5798 §6.4.1: on becoming master, a gratuitous ARP per address;
  // repeated, as keepalived does, for switches that miss the first.
  start_burst("master", now);
}

void VipHolder::adopt(sys::TimePoint now) {
  held_ = true;
  log_->info("vip-adopt instance={} interface={}", config_.redis.instance, config_.interface);
  resync("adopted", now);
  start_burst("adopted", now);
}

void VipHolder::reclaim(sys::TimePoint now) {
  static constexpr const char* reason = "lower-priority-master";
  if (!held_) return;
  // One GARP per advert heard, after the other's own; the burst that the
  // first one started goes on (logged), the extra ones are not news.
  if (garp_left_ > 0 && std::string_view(burst_reason_) == reason) {
    announce(reason, spdlog::level::debug);
    return;
  }
  start_burst(reason, now);
}

void VipHolder::start_burst(const char* reason, sys::TimePoint now) {
  burst_reason_ = reason;
  garp_left_ = config_.garp_repeat;
  on_garp_timer(now);
}

void VipHolder::quiet() {
  garp_timer_.disarm();
  garp_left_ = 0;
}

void VipHolder::remove(const std::string& reason) {
  quiet();
  restore_failed_ = false;
  if (!held_) return;
  held_ = false;
  for (const auto& vip : config_.vips) {
    if (auto removed = vips_.remove(ifindex_, vip); !removed) {
      log_->error("vip-remove instance={} vip={} reason={} error={}", config_.redis.instance, text(vip), reason,
                  common::kv_value(removed.error().message));
    } else {
      log_->info("vip-remove instance={} vip={} interface={} reason={}", config_.redis.instance, text(vip),
                 config_.interface, reason);
    }
  }
}

void VipHolder::on_address_events(sys::TimePoint now) {
  std::array<std::uint8_t, 8192> buffer{};
  std::vector<vrrp::AddressEvent> events;
  const char* resync_reason = nullptr;
  for (int i = 0; i < 64; ++i) {  // bounded: the loop's other sources get their turn
    auto got = monitor_.receive(buffer);
    if (!got) {
      log_->warn("address-events instance={} error={}", config_.redis.instance, common::kv_value(got.error().message));
      resync_reason = "receive-failed";
      break;
    }
    const auto received = got.value();
    if (received.overrun) {
      // The kernel dropped notifications: what they said is lost, the table is not.
      resync_reason = "overrun";
      continue;
    }
    if (received.size == 0) break;
    auto decoded = vrrp::decode_address_messages(std::span(buffer).first(received.size));
    if (auto* e = std::get_if<vrrp::RtnlDecodeError>(&decoded)) {
      log_->warn("address-events instance={} error={}", config_.redis.instance,
                 common::kv_value("undecodable: " + e->reason));
      resync_reason = "undecodable";
      continue;
    }
    auto& batch = std::get<vrrp::AddressBatch>(decoded);
    events.insert(events.end(), batch.events.begin(), batch.events.end());
  }
  if (!held_) return;
  if (resync_reason != nullptr) {
    resync(resync_reason, now);
    return;
  }
  const auto changes = vrrp::vip_changes(events, ifindex_, vips_be_);
  std::vector<bool> missing(changes.size());
  std::transform(changes.begin(), changes.end(), missing.begin(),
                 [](vrrp::VipChange c) { return c == vrrp::VipChange::removed; });
  if (std::find(missing.begin(), missing.end(), true) != missing.end()) restore(missing, "removed-by-hand", now);
}

void VipHolder::retry_restore(sys::TimePoint now) {
  if (held_ && restore_failed_) resync("retry", now);
}

void VipHolder::resync(const char* reason, sys::TimePoint now) {
  auto listed = vips_.addresses(ifindex_);
  if (!listed) {
    log_->error("address-resync instance={} reason={} error={}", config_.redis.instance, reason,
                common::kv_value(listed.error().message));
    restore_failed_ = true;  // try again at the next advert
    return;
  }
  const auto& here = listed.value();
  std::vector<bool> missing;
  for (const auto be : vips_be_) missing.push_back(std::find(here.begin(), here.end(), be) == here.end());
  // A failing restore is retried at each advert: news the first time only.
  const auto level = std::string_view(reason) == "retry" ? spdlog::level::debug : spdlog::level::info;
  log_->log(level, "address-resync instance={} reason={} missing={}", config_.redis.instance, reason,
            std::count(missing.begin(), missing.end(), true));
  restore(missing, reason, now);
}

void VipHolder::restore(const std::vector<bool>& missing, const char* reason, sys::TimePoint now) {
  bool restored = false;
  restore_failed_ = false;
  for (std::size_t i = 0; i < config_.vips.size(); ++i) {
    if (!missing[i]) continue;
    const auto& vip = config_.vips[i];
    auto added = vips_.add(ifindex_, vip);
    if (!added) {
      // Retried at every advert: said once, not ten times a second.
      if (added.error().message != restore_error_) {
        log_->error("vip-restored instance={} vip={} error={}", config_.redis.instance, text(vip),
                    common::kv_value(added.error().message));
      }
      restore_error_ = added.error().message;
      restore_failed_ = true;
      continue;
    }
    restore_error_.clear();
    // false: it is there (a late notification of our own removal): nothing to say.
    if (!added.value()) continue;
    log_->warn("vip-restored instance={} vip={} interface={} reason={}", config_.redis.instance, text(vip),
               config_.interface, reason);
    restored = true;
  }
  if (restored) start_burst("master", now);
}

void VipHolder::on_garp_timer(sys::TimePoint now) {
  garp_timer_.acknowledge();
  if (!held_) return;
  if (garp_left_ > 0) {
    --garp_left_;
    announce(burst_reason_);
  } else if (config_.garp_refresh.count() > 0) {
    announce("refresh");
  } else {
    return;
  }
  if (garp_left_ > 0) {
    garp_timer_.arm(now + config_.garp_interval);
  } else if (config_.garp_refresh.count() > 0) {
    garp_timer_.arm(now + config_.garp_refresh);
  }
}

void VipHolder::announce(const char* why) {
  // The burst is news; a periodic refresh is not.
  announce(why, std::string_view(why) == "refresh" ? spdlog::level::debug : spdlog::level::info);
}

void VipHolder::announce(const char* why, spdlog::level::level_enum level) {
  bool sent = true;
  for (const auto& vip : config_.vips) {
    if (auto announced = garp_.announce(vip.address_be); announced) {
      ++garps_sent_;
    } else {
      sent = false;
      log_->warn("garp instance={} vip={} error={}", config_.redis.instance, text(vip),
                 common::kv_value(announced.error().message));
    }
  }
  if (sent) {
    log_->log(level, "garp instance={} vips={} reason={} left={}", config_.redis.instance, config_.vips.size(), why,
              garp_left_);
  }
}

bool VipHolder::all_present() {
  auto listed = vips_.addresses(ifindex_);
  if (!listed) return false;
  const auto& here = listed.value();
  return std::all_of(vips_be_.begin(), vips_be_.end(),
                     [&](std::uint32_t be) { return std::find(here.begin(), here.end(), be) != here.end(); });
}

}  // namespace vipkit::vipd
