#include "vrrp/vipd/vip_holder.hpp"

#include <arpa/inet.h>

namespace vipkit::vipd {

namespace sys = vrrp::sys;

sys::SysResult<VipHolder> VipHolder::open(const VipdConfig& config, common::Logger log) {
  auto ifindex = sys::interface_index(config.interface);
  if (auto* e = std::get_if<sys::SysError>(&ifindex)) return *e;
  auto vips = sys::VipManager::open();
  if (auto* e = std::get_if<sys::SysError>(&vips)) return *e;
  auto garp = sys::GarpSender::open(config.interface);
  if (auto* e = std::get_if<sys::SysError>(&garp)) return *e;
  auto timer = sys::Timer::create();
  if (auto* e = std::get_if<sys::SysError>(&timer)) return *e;
  return VipHolder(config, std::move(log), std::get<int>(ifindex), std::move(std::get<sys::VipManager>(vips)),
                   std::move(std::get<sys::GarpSender>(garp)), std::move(std::get<sys::Timer>(timer)));
}

VipHolder::VipHolder(const VipdConfig& config, common::Logger log, int ifindex, sys::VipManager vips,
                     sys::GarpSender garp, sys::Timer timer)
    : config_(config),
      log_(std::move(log)),
      ifindex_(ifindex),
      vips_(std::move(vips)),
      garp_(std::move(garp)),
      garp_timer_(std::move(timer)) {}

std::string VipHolder::text(const sys::VipAddress& vip) const {
  char buf[INET_ADDRSTRLEN] = "?";
  inet_ntop(AF_INET, &vip.address_be, buf, sizeof buf);
  return std::string(buf) + "/" + std::to_string(vip.prefix_length);
}

void VipHolder::remove_stale() {
  for (const auto& vip : config_.vips) {
    auto here = vips_.present(ifindex_, vip.address_be);
    if (auto* e = std::get_if<sys::SysError>(&here)) {
      log_->error("vip-remove instance={} vip={} reason=stale error={}", config_.redis.instance, text(vip),
                  common::kv_value(e->message));
      continue;
    }
    if (!std::get<bool>(here)) continue;
    auto failed = vips_.remove(ifindex_, vip);
    if (failed) {
      log_->error("vip-remove instance={} vip={} reason=stale error={}", config_.redis.instance, text(vip),
                  common::kv_value(failed->message));
    } else {
      log_->info("vip-remove instance={} vip={} interface={} reason=stale", config_.redis.instance, text(vip),
                 config_.interface);
    }
  }
}

void VipHolder::add(sys::TimePoint now) {
  for (const auto& vip : config_.vips) {
    if (auto failed = vips_.add(ifindex_, vip)) {
      log_->error("vip-add instance={} vip={} error={}", config_.redis.instance, text(vip),
                  common::kv_value(failed->message));
    } else {
      log_->info("vip-add instance={} vip={} interface={}", config_.redis.instance, text(vip), config_.interface);
    }
  }
  held_ = true;
  // RFC 5798 §6.4.1: on becoming master, a gratuitous ARP per address;
  // repeated, as keepalived does, for switches that miss the first.
  garp_left_ = config_.garp_repeat;
  on_garp_timer(now);
}

void VipHolder::remove(const std::string& reason) {
  garp_timer_.disarm();
  garp_left_ = 0;
  if (!held_) return;
  held_ = false;
  for (const auto& vip : config_.vips) {
    if (auto failed = vips_.remove(ifindex_, vip)) {
      log_->error("vip-remove instance={} vip={} reason={} error={}", config_.redis.instance, text(vip), reason,
                  common::kv_value(failed->message));
    } else {
      log_->info("vip-remove instance={} vip={} interface={} reason={}", config_.redis.instance, text(vip),
                 config_.interface, reason);
    }
  }
}

void VipHolder::watch(sys::TimePoint now) {
  if (!held_) return;
  bool restored = false;
  for (const auto& vip : config_.vips) {
    auto here = vips_.present(ifindex_, vip.address_be);
    if (!std::holds_alternative<bool>(here) || std::get<bool>(here)) continue;
    if (auto failed = vips_.add(ifindex_, vip)) {
      // Retried at every advert: said once, not ten times a second.
      if (failed->message != restore_error_) {
        log_->error("vip-restored instance={} vip={} error={}", config_.redis.instance, text(vip),
                    common::kv_value(failed->message));
      }
      restore_error_ = failed->message;
      continue;
    }
    restore_error_.clear();
    log_->warn("vip-restored instance={} vip={} interface={} reason=removed-by-hand", config_.redis.instance,
               text(vip), config_.interface);
    restored = true;
  }
  if (restored) {
    garp_left_ = config_.garp_repeat;
    on_garp_timer(now);
  }
}

void VipHolder::on_garp_timer(sys::TimePoint now) {
  garp_timer_.acknowledge();
  if (!held_) return;
  if (garp_left_ > 0) {
    --garp_left_;
    announce("master");
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
  bool sent = true;
  for (const auto& vip : config_.vips) {
    if (auto failed = garp_.announce(vip.address_be)) {
      sent = false;
      log_->warn("garp instance={} vip={} error={}", config_.redis.instance, text(vip),
                 common::kv_value(failed->message));
    }
  }
  // The burst is news; a periodic refresh is not.
  const auto level = std::string_view(why) == "refresh" ? spdlog::level::debug : spdlog::level::info;
  if (sent) {
    log_->log(level, "garp instance={} vips={} reason={} left={}", config_.redis.instance, config_.vips.size(), why,
              garp_left_);
  }
}

bool VipHolder::all_present() {
  for (const auto& vip : config_.vips) {
    auto here = vips_.present(ifindex_, vip.address_be);
    if (!std::holds_alternative<bool>(here) || !std::get<bool>(here)) return false;
  }
  return true;
}

}  // namespace vipkit::vipd
