#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "redis/cluster_nodes.hpp"

using namespace vipkit;
using namespace vipkit::test;
using redis::SlotRange;

namespace {

const std::string valid_line =
    "dbf39c2f9909916448256bfec772f31a3ac09d40 127.0.0.1:50101@60101 myself,master - 0 1796217067000 1 connected 0-5460";

std::string parse_error(const std::string& text) {
  const auto nodes = redis::parse_cluster_nodes(text);
  REQUIRE_FALSE(nodes.ok());
  CHECK(nodes.error().code == redis::ErrorCode::protocol);
  return nodes.error().message;
}

}  // namespace

TEST_CASE("CLUSTER NODES of a healthy 3+3 cluster, as a master sees it", "[redis][cluster]") {
  const auto nodes = redis::parse_cluster_nodes(fixture("cluster/nodes-healthy-50101.txt"));
  REQUIRE(nodes.ok());
  REQUIRE(nodes->size() == 6);
  int masters = 0, replicas = 0, slots = 0;
  for (const auto& n : nodes.value()) {
    masters += n.is_master() ? 1 : 0;
    replicas += n.is_replica() ? 1 : 0;
    slots += n.slot_count();
    CHECK(n.link_connected);
    CHECK_FALSE(n.is_failed());
  }
  CHECK(masters == 3);
  CHECK(replicas == 3);
  CHECK(slots == redis::cluster_slots);

  const auto& myself = (*nodes)[3];
  CHECK(myself.id == "dbf39c2f9909916448256bfec772f31a3ac09d40");
  CHECK(myself.is_myself());
  CHECK(myself.host == "127.0.0.1");
  CHECK(myself.port == 50101);
  CHECK(myself.bus_port == 60101);
  CHECK(myself.address() == "127.0.0.1:50101");
  CHECK(myself.master_id.empty());
  CHECK(myself.config_epoch == 1);
  CHECK(myself.slots == std::vector<SlotRange>{{0, 5460}});

  const auto& replica = (*nodes)[1];
  CHECK(replica.is_replica());
  CHECK(replica.master_id == myself.id);
  CHECK(replica.slots.empty());
}

TEST_CASE("CLUSTER NODES of every node of the healthy cluster parses", "[redis][cluster]") {
  for (const char* port : {"50101", "37539", "44003", "39205", "35261", "35453"}) {
    INFO(port);
    const auto nodes = redis::parse_cluster_nodes(fixture(std::string("cluster/nodes-healthy-") + port + ".txt"));
    REQUIRE(nodes.ok());
    CHECK(nodes->size() == 6);
  }
}

TEST_CASE("Importing and migrating slots are moves, not owned slots", "[redis][cluster]") {
  const auto migrating = redis::parse_cluster_nodes(fixture("cluster/nodes-migrating-50101.txt"));
  REQUIRE(migrating.ok());
  const auto& source = (*migrating)[3];
  REQUIRE(source.is_myself());
  CHECK(source.slots == std::vector<SlotRange>{{0, 5460}});
  REQUIRE(source.moves.size() == 1);
  CHECK(source.moves[0] == redis::SlotMove{100, false, "d141292136fcd7744fa7a167b322418505d0c25d"});

  const auto importing = redis::parse_cluster_nodes(fixture("cluster/nodes-importing-37539.txt"));
  REQUIRE(importing.ok());
  for (const auto& n : importing.value()) {
    if (!n.is_myself()) continue;
    CHECK(n.slots == std::vector<SlotRange>{{5461, 10922}});
    CHECK(n.slot_count() == 5462);
    REQUIRE(n.moves.size() == 1);
    CHECK(n.moves[0] == redis::SlotMove{100, true, "dbf39c2f9909916448256bfec772f31a3ac09d40"});
  }
}

TEST_CASE("Flags fail and fail?, a disconnected link", "[redis][cluster]") {
  const auto nodes = redis::parse_cluster_nodes(fixture("cluster/nodes-replica-fail-50101.txt"));
  REQUIRE(nodes.ok());
  const auto& gone = (*nodes)[1];
  CHECK(gone.port == 35453);
  CHECK(gone.is_failed());
  CHECK(gone.is_replica());
  CHECK_FALSE(gone.link_connected);

  const auto pfail = redis::parse_cluster_nodes(
      "e861f0029e8aace67f1afaac24027f43f34e8de2 127.0.0.1:35453@45453 slave,fail? "
      "dbf39c2f9909916448256bfec772f31a3ac09d40 1796217108047 1796217107024 1 disconnected\n");
  REQUIRE(pfail.ok());
  CHECK((*pfail)[0].is_pfail());
  CHECK_FALSE((*pfail)[0].is_failed());
}

TEST_CASE("Single slots, several ranges, CRLF, a hostname, IPv6, no address", "[redis][cluster]") {
  const auto nodes = redis::parse_cluster_nodes(
      "8c691c22972a96766a0375df06661df974a3e716 10.0.0.87:6479@16479,redis-a master - 0 1 3 connected 0 2-4 16383\r\n"
      "\r\n"
      "068026a28a5fa3b7cad5a56a287d26d0b5388866 ::1:6480@16480 slave 8c691c22972a96766a0375df06661df974a3e716 0 1 3 "
      "connected\r\n"
      "b22c9f3d78a327d8a9c1a57ca4276bb8d1c038ad :0@0 master,noaddr - 0 1 0 disconnected\r\n");
  REQUIRE(nodes.ok());
  REQUIRE(nodes->size() == 3);
  CHECK((*nodes)[0].hostname == "redis-a");
  CHECK((*nodes)[0].slots == std::vector<SlotRange>{{0, 0}, {2, 4}, {16383, 16383}});
  CHECK((*nodes)[0].slot_count() == 5);
  CHECK(redis::slots_text((*nodes)[0].slots) == "0 2-4 16383");
  CHECK((*nodes)[1].host == "::1");
  CHECK((*nodes)[1].port == 6480);
  CHECK((*nodes)[2].host.empty());
  CHECK((*nodes)[2].port == 0);
}

TEST_CASE("Malformed CLUSTER NODES lines are errors naming the line", "[redis][cluster]") {
  CHECK(parse_error("") == "CLUSTER NODES lists no node");
  CHECK(parse_error("hello") == "CLUSTER NODES line 1: 1 fields, expected at least 8: hello");
  CHECK(parse_error("zzz 127.0.0.1:1@2 master - 0 0 1 connected").find("node id zzz is not 40 hex") !=
        std::string::npos);
  const std::string id = "dbf39c2f9909916448256bfec772f31a3ac09d40";
  auto line = [&](const std::string& address, const std::string& flags, const std::string& master,
                  const std::string& tail) { return id + " " + address + " " + flags + " " + master + " " + tail; };
  CHECK(parse_error(valid_line + "\n" + line("127.0.0.1", "master", "-", "0 0 1 connected")).find(
            "line 2: address 127.0.0.1 is not ip:port@cport") != std::string::npos);
  CHECK(parse_error(line("127.0.0.1:99999@1", "master", "-", "0 0 1 connected")).find("bad port") != std::string::npos);
  CHECK(parse_error(line("127.0.0.1:1@x", "master", "-", "0 0 1 connected")).find("bad cluster bus port") !=
        std::string::npos);
  CHECK(parse_error(line("127.0.0.1:1@2", "master", "abc", "0 0 1 connected")).find("master id abc") !=
        std::string::npos);
  CHECK(parse_error(line("127.0.0.1:1@2", "master", "-", "0 0 1 up")).find("link state up") != std::string::npos);
  CHECK(parse_error(line("127.0.0.1:1@2", "master", "-", "x 0 1 connected")).find("ping/pong") != std::string::npos);
  CHECK(parse_error(line("127.0.0.1:1@2", "master", "-", "0 0 -1 connected")).find("config epoch") !=
        std::string::npos);
  for (const char* slots : {"16384", "5-2", "-1", "1-", "a-b", "0-99999999999999999999", "[100->-abc]", "[100]",
                            "[100-<-", "[", "[x->-dbf39c2f9909916448256bfec772f31a3ac09d40]", "1--2"}) {
    INFO(slots);
    CHECK(parse_error(valid_line + " " + slots).find("bad slot") != std::string::npos);
  }
  CHECK(parse_error(valid_line + "\n" + valid_line).find("line 2: node id listed twice") != std::string::npos);
  CHECK(parse_error(std::string(300, 'x') + " 1 2 3 4 5 6 7").size() < 250);
}

TEST_CASE("CLUSTER NODES survives hostile bytes", "[redis][cluster]") {
  // Truncations of a real reply at every length: a value or an error.
  const std::string real = fixture("cluster/nodes-migrating-50101.txt");
  for (std::size_t n = 0; n <= real.size(); ++n) (void)redis::parse_cluster_nodes(real.substr(0, n));
  CHECK_FALSE(redis::parse_cluster_nodes(std::string("\0\0\0 \n\r\n @ : , [ ] - \r", 17)).ok());
}

TEST_CASE("CLUSTER INFO", "[redis][cluster]") {
  const auto ok = redis::parse_cluster_info(fixture("cluster/info-ok.txt"));
  REQUIRE(ok.ok());
  CHECK(ok->state == "ok");
  CHECK(ok->slots_assigned == 16384);
  CHECK(ok->slots_ok == 16384);
  CHECK(ok->known_nodes == 6);
  CHECK(ok->size == 3);
  CHECK(ok->current_epoch == 6);

  const auto fail = redis::parse_cluster_info(fixture("cluster/info-delslots-44003.txt"));
  REQUIRE(fail.ok());
  CHECK(fail->state == "fail");
  CHECK(fail->slots_assigned == 16000);

  CHECK(redis::parse_cluster_info("hello\r\n").error().message == "CLUSTER INFO has no cluster_state field");
  CHECK(redis::parse_cluster_info("cluster_state:ok\r\ncluster_size:-3\r\n").error().message ==
        "CLUSTER INFO cluster_size is not a count: -3");
}
