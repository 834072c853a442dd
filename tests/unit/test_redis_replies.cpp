#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "redis/keyspace.hpp"
#include "redis/replies.hpp"

using namespace vipkit;
using namespace vipkit::test;
using redis::Role;

TEST_CASE("INFO replication of a master with a linked replica", "[redis][replies]") {
  auto info = redis::parse_replication_info(fixture("info-replication-master.txt"),
                                            fixture("info-persistence.txt"));
  REQUIRE(info.ok());
  CHECK(info->role == Role::master);
  CHECK(info->master_replid == "05aa9000446c40f3d3f9ec762196dddb17383593");
  CHECK(info->master_replid2 == "0000000000000000000000000000000000000000");
  CHECK(info->master_repl_offset == 431);
  CHECK(info->second_repl_offset == -1);
  CHECK(info->connected_slaves == 1);
  CHECK(info->failover_state == "no-failover");
  CHECK_FALSE(info->loading);
}

TEST_CASE("INFO replication before Redis 6.2 has no FAILOVER state", "[redis][replies]") {
  auto info = redis::parse_replication_info("role:master\r\nmaster_replid:abc\r\nmaster_repl_offset:7\r\n", "");
  REQUIRE(info.ok());
  CHECK(info->failover_state.empty());
}

TEST_CASE("INFO replication of a linked replica", "[redis][replies]") {
  auto info = redis::parse_replication_info(fixture("info-replication-replica-linked.txt"), "");
  REQUIRE(info.ok());
  CHECK(info->role == Role::replica);
  CHECK(info->master_host == "127.0.0.1");
  CHECK(info->master_port == 41773);
  CHECK(info->master_link_up);
  CHECK(info->master_link_down_since_seconds == -1);  // only printed while down
  CHECK_FALSE(info->master_sync_in_progress);
  CHECK(info->master_replid == "05aa9000446c40f3d3f9ec762196dddb17383593");
}

TEST_CASE("INFO replication of a replica whose master died", "[redis][replies]") {
  auto info = redis::parse_replication_info(fixture("info-replication-replica-down.txt"), "");
  REQUIRE(info.ok());
  CHECK(info->role == Role::replica);
  CHECK_FALSE(info->master_link_up);
  CHECK(info->master_last_io_seconds_ago == -1);
  CHECK(info->master_link_down_since_seconds == 1);
}

TEST_CASE("INFO replication after REPLICAOF NO ONE keeps the old history as replid2",
          "[redis][replies]") {
  auto info = redis::parse_replication_info(fixture("info-replication-promoted.txt"), "");
  REQUIRE(info.ok());
  CHECK(info->role == Role::master);
  CHECK(info->master_replid2 == "05aa9000446c40f3d3f9ec762196dddb17383593");
  CHECK(info->second_repl_offset == 1);
}

TEST_CASE("INFO persistence: loading and BGSAVE state", "[redis][replies]") {
  const std::string real = fixture("info-persistence.txt");
  auto p = redis::parse_persistence_info(real);
  REQUIRE(p.ok());
  CHECK_FALSE(p->loading);
  CHECK_FALSE(p->rdb_bgsave_in_progress);
  CHECK(p->rdb_last_bgsave_ok);
  CHECK(p->rdb_last_save_time > 1700000000);

  // The same capture edited to the values a loading server reports.
  std::string loading = real;
  loading.replace(loading.find("loading:0"), 9, "loading:1");
  CHECK(redis::parse_persistence_info(loading)->loading);
  auto with_replication = redis::parse_replication_info(fixture("info-replication-master.txt"), loading);
  REQUIRE(with_replication.ok());
  CHECK(with_replication->loading);
}

TEST_CASE("INFO parsing rejects what it cannot trust, naming the field", "[redis][replies]") {
  auto no_role = redis::parse_replication_info("# Replication\r\nmaster_replid:abc\r\n", "");
  REQUIRE_FALSE(no_role.ok());
  CHECK(no_role.error().code == redis::ErrorCode::protocol);
  CHECK(no_role.error().message == "INFO has no role field");

  std::string bad = fixture("info-replication-master.txt");
  bad.replace(bad.find("master_repl_offset:431"), 22, "master_repl_offset:4x1");
  auto bad_offset = redis::parse_replication_info(bad, "");
  REQUIRE_FALSE(bad_offset.ok());
  CHECK(bad_offset.error().message == "INFO field master_repl_offset is not a number: 4x1");

  CHECK_FALSE(redis::parse_replication_info("role:sentinel\r\n", "").ok());
  CHECK_FALSE(redis::parse_persistence_info("loading:0\r\n").ok());
}

TEST_CASE("INFO fields: sections and blank lines skipped, CRLF trimmed", "[redis][replies]") {
  auto f = redis::parse_info_fields("# Server\r\nredis_version:7.0.15\r\n\r\nx:a:b\r\n");
  CHECK(f.size() == 2);
  CHECK(f.at("redis_version") == "7.0.15");
  CHECK(f.at("x") == "a:b");
}

TEST_CASE("INFO server version", "[redis][replies]") {
  auto v = redis::parse_version(fixture("info-server.txt"));
  REQUIRE(v.ok());
  CHECK(*v == redis::Version{7, 0, 15});
  CHECK(redis::Version{6, 2, 0} < *v);
  CHECK_FALSE(redis::parse_version("redis_version:seven\r\n").ok());
}

TEST_CASE("INFO server: version and run_id name the server process", "[redis][replies]") {
  auto server = redis::parse_server_info(fixture("info-server-full.txt"));
  REQUIRE(server.ok());
  CHECK(server->version == redis::Version{7, 0, 15});
  CHECK(server->run_id == "54a879d73fe3ebf71e9fad5f0b2784b698604412");
  auto no_run_id = redis::parse_server_info(fixture("info-server.txt"));
  REQUIRE_FALSE(no_run_id.ok());
  CHECK(no_run_id.error().message == "INFO has no run_id field");
}

TEST_CASE("INFO keyspace counts keys in every database", "[redis][keyspace]") {
  CHECK(redis::parse_keyspace_keys(fixture("info-keyspace.txt")).value() == 13);
  CHECK(redis::parse_keyspace_keys(fixture("info-keyspace-empty.txt")).value() == 0);
  auto bad = redis::parse_keyspace_keys("db0:keys=x,expires=0\r\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == redis::ErrorCode::protocol);
}

TEST_CASE("INFO keyspace lists each database with its key count", "[redis][keyspace]") {
  auto dbs = redis::parse_keyspace_databases("# Keyspace\r\ndb0:keys=3,expires=1,avg_ttl=0\r\ndb12:keys=10,expires=0\r\n");
  REQUIRE(dbs.ok());
  REQUIRE(dbs->size() == 2);
  CHECK(dbs.value()[0].db == 0);
  CHECK(dbs.value()[0].keys == 3);
  CHECK(dbs.value()[1].db == 12);
  CHECK(dbs.value()[1].keys == 10);
  CHECK_FALSE(redis::parse_keyspace_databases("dbx:keys=1\r\n").ok());
}

TEST_CASE("ROLE of a master lists its replicas (ports as strings in Redis 7)", "[redis][replies]") {
  auto role = redis::parse_role(json_fixture("role-master.json"));
  REQUIRE(role.ok());
  CHECK(role->role == Role::master);
  CHECK(role->offset == 431);
  REQUIRE(role->replicas.size() == 1);
  CHECK(role->replicas[0].host == "127.0.0.1");
  CHECK(role->replicas[0].port == 50813);
}

TEST_CASE("ROLE of a replica: connected, then after the master died", "[redis][replies]") {
  auto linked = redis::parse_role(json_fixture("role-replica.json"));
  REQUIRE(linked.ok());
  CHECK(linked->role == Role::replica);
  CHECK(linked->master_host == "127.0.0.1");
  CHECK(linked->master_port == 41773);
  CHECK(linked->link_state == "connected");

  auto down = redis::parse_role(json_fixture("role-replica-down.json"));
  REQUIRE(down.ok());
  CHECK(down->link_state == "connect");
  CHECK(down->offset == -1);
}

TEST_CASE("ROLE replies of the wrong shape are errors", "[redis][replies]") {
  CHECK_FALSE(redis::parse_role(redis::Reply::make_status("OK")).ok());
  CHECK_FALSE(redis::parse_role(redis::Reply::make_array({redis::Reply::make_string("master")})).ok());
  CHECK_FALSE(redis::parse_role(redis::Reply::make_array({redis::Reply::make_string("leader")})).ok());
  CHECK(redis::parse_role(redis::Reply::make_array({redis::Reply::make_string("sentinel")}))->role ==
        Role::sentinel);
}
