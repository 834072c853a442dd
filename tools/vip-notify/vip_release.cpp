#include "vip-notify/vip_release.hpp"

#include <fmt/format.h>
#include <net/if.h>

#include <map>

#include "base/result.hpp"
#include "common/instance_lock.hpp"
#include "vip-notify/handler.hpp"
#include "vip-notify/resign.hpp"
#include "vrrp/core/ipv4.hpp"
#include "vrrp/sys/vip_address.hpp"

namespace vipkit::notify {

namespace {

using common::kv_value;
using vrrp::sys::LocalAddress;
using vrrp::sys::VipManager;

std::string interface_name(int ifindex) {
  char name[IF_NAMESIZE] = "";
  return if_indextoname(static_cast<unsigned>(ifindex), name) ? name : std::to_string(ifindex);
}

// Where the instance's VIP is now; an error text when it cannot be told.
Result<std::vector<LocalAddress>, std::string> locate_vip(VipManager& manager, const std::string& vip) {
  auto v4 = vrrp::parse_ipv4_address(vip);
  if (!v4) return std::string("only an IPv4 VIP can be released");
  auto found = manager.locate(*v4);
  if (!found) return found.error().message;
  return std::move(found).value();
}

bool remove_vip(VipManager& manager, const common::InstanceConfig& c, const std::vector<LocalAddress>& where,
                const common::Logger& log) {
  // Under the instance lock: a handler of a respawned keepalived for the
  // same instance acts before or after, never in between.
  auto lock = common::InstanceLock::acquire(c.state_dir, c.instance, c.lock_wait);
  if (!lock) {
    log->error("vip-release instance={} vip={} result=failed error={}", c.instance, *c.connections.vip,
               kv_value(lock.error().message));
    return false;
  }
  bool ok = true;
  for (const LocalAddress& a : where) {
    const auto removed = manager.remove(a.ifindex, a.address);
    ok = ok && removed;
    const std::string line = fmt::format("vip-release instance={} vip={}/{} interface={} result={}", c.instance,
                                         *c.connections.vip, a.address.prefix_length, interface_name(a.ifindex),
                                         removed ? "ok" : "failed");
    if (!removed) {
      log->error("{} error={}", line, kv_value(removed.error().message));
    } else {
      log->info(line);
    }
  }
  return ok;
}

}  // namespace

bool release_dead_speaker(const FifoEnd& end, const std::vector<KnownInstance>& instances,
                          const common::Logger& log) {
  auto opened = VipManager::open();
  if (!opened) {
    log->error("vip-lookup-failed error={}", kv_value(opened.error().message));
  }
  VipManager* manager = opened ? &opened.value() : nullptr;

  std::vector<InstanceAtEnd> seen;
  std::map<std::string, std::vector<LocalAddress>> where;
  for (const KnownInstance& k : instances) {
    InstanceAtEnd at{k.config.instance, k.last_state, std::nullopt, k.config.speaker.has_value()};
    if (manager && k.config.connections.vip) {
      auto found = locate_vip(*manager, *k.config.connections.vip);
      if (!found) {
        log->error("vip-lookup-failed instance={} vip={} error={}", k.config.instance, *k.config.connections.vip,
                   kv_value(found.error()));
      } else {
        auto& addresses = found.value();
        at.vip_local = !addresses.empty();
        where[k.config.instance] = std::move(addresses);
      }
    }
    seen.push_back(std::move(at));
  }

  bool ok = true;
  const auto rows = plan_release(end, seen);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Release& row = rows[i];
    const common::InstanceConfig& c = instances[i].config;
    if (row.remove_vip) {
      const bool removed = remove_vip(*manager, c, where[c.instance], log);
      ok = removed && ok;
      // Never while the VIP may still answer here: two holders are worse
      // than three seconds without one.
      if (row.resign && removed) ok = resign_logged(c, log, "speaker-died") && ok;
      if (!row.resign) log->info("vrrp-resign instance={} result=skipped reason=no-vrrp-vrid", c.instance);
    }
    if (row.apply_stop) {
      const Event stop{c.instance, ha::VrrpState::stop, std::nullopt, "speaker-died"};
      ok = handle_event(c, stop, log, HandleOptions{false, false, std::nullopt}).exit_code == 0 && ok;
    }
    if (!row.remove_vip && !row.apply_stop) {
      log->info("vip-kept instance={} reason={}", c.instance, row.reason);
    }
  }
  return ok;
}

}  // namespace vipkit::notify
