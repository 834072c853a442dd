// vipctl status with leader = sentinel: the table and the health verdict
// drawn from vipd's status answer (sentinel_view.hpp).
#include <cerrno>

#include <catch2/catch.hpp>

#include "vipctl/sentinel_view.hpp"

using namespace vipkit;

TEST_CASE("vipctl renders the Sentinel view and judges it", "[vipctl][sentinel]") {
  nlohmann::json answer = {
      {"ok", true},          {"instance", "redis_16465"}, {"leader", "sentinel"}, {"state", "backup"},
      {"interface", "eth0"}, {"vips", {"192.0.2.100/24"}}, {"vip_present", false},
      {"sentinel",
       {{"master_name", "vipkit"}, {"vip", "release"}, {"fence", "unfence"}, {"reason", "local-replica"},
        {"elected", "192.0.2.11:16465"}, {"epoch", 2}, {"configured", 3}, {"views", 3}, {"votes", 0},
        {"local_role", "replica"}, {"fence_error", ""},
        {"sentinels", {{{"address", "192.0.2.11:26379"}, {"answer", "192.0.2.11:16465 epoch=2"}}}}}}};
  const IoResult<nlohmann::json> replica(answer);
  CHECK(vipctl::sentinel_view_healthy(replica));
  const std::string text = vipctl::sentinel_view_text(replica, "/run/vipkit/x.sock");
  CHECK_THAT(text, Catch::Contains("not held here"));
  CHECK_THAT(text, Catch::Contains("release (local-replica)"));
  CHECK_THAT(text, Catch::Contains("sentinel    192.0.2.11:26379  192.0.2.11:16465 epoch=2"));
  CHECK_THAT(text, Catch::EndsWith("health: healthy\n"));

  answer["sentinel"]["reason"] = "quorum-lost";
  CHECK_FALSE(vipctl::sentinel_view_healthy(IoResult<nlohmann::json>(answer)));
  answer["leader"] = "vrrp";  // a VRRP vipd on that socket
  CHECK_FALSE(vipctl::sentinel_view_healthy(IoResult<nlohmann::json>(answer)));
  CHECK_THAT(vipctl::sentinel_view_text(IoResult<nlohmann::json>(answer), "s"), Catch::Contains("no Sentinel view"));
  const IoResult<nlohmann::json> down(IoError{ECONNREFUSED, "connect: Connection refused"});
  CHECK_FALSE(vipctl::sentinel_view_healthy(down));
  CHECK_THAT(vipctl::sentinel_view_text(down, "s"), Catch::StartsWith("vipd (s): connect: Connection refused"));
}
