#include <catch2/catch.hpp>

#include <chrono>

#include "node_builders.hpp"
#include "vip-notify/notify_metrics.hpp"

using namespace vipkit;
using namespace vipkit::test;

namespace {

// Two instances: one MASTER with resident checks and a linked replica 300
// bytes behind; one BACKUP heard of only through the FIFO.
notify::NotifyMetrics two_instances() {
  notify::NotifyMetrics m;
  m.lines_skipped = 3;
  notify::InstanceMetrics& a = m.instances["redis_16465"];
  a.state = ha::VrrpState::master;
  a.events = 2;
  a.actions[{"promote", "ok"}] = 1;
  a.alive = true;
  a.eligible = false;
  a.health_checks.observe(std::chrono::microseconds(300));
  a.local = master(history_a, 1500, 10);
  a.peer = replica(history_a, 1200, 10, "192.0.2.11", 16465, true);
  notify::InstanceMetrics& b = m.instances["redis_16466"];
  b.state = ha::VrrpState::backup;
  b.events = 1;
  b.actions[{"repoint", "peer-not-master"}] = 1;
  return m;
}

}  // namespace

TEST_CASE("notify metrics: two instances' exposition, byte for byte", "[notify][metrics]") {
  const std::string a = R"(instance="redis_16465")";
  const std::string b = R"(instance="redis_16466")";
  std::string buckets;
  const char* bounds[] = {"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1"};
  for (const char* le : bounds) {
    buckets += "vipkit_health_check_duration_seconds_bucket{" + a + ",le=\"" + le + "\"} 1\n";
  }
  const std::string expected =
      "# HELP vipkit_vrrp_state keepalived's last state for the instance: 0 initialize or stop, 1 backup, 2 master, 3 fault.\n"
      "# TYPE vipkit_vrrp_state gauge\n"
      "vipkit_vrrp_state{" + a + "} 2\n"
      "vipkit_vrrp_state{" + b + "} 1\n"
      "# HELP vipkit_notify_events_total keepalived's events applied, from the notify FIFO.\n"
      "# TYPE vipkit_notify_events_total counter\n"
      "vipkit_notify_events_total{" + a + "} 2\n"
      "vipkit_notify_events_total{" + b + "} 1\n"
      "# HELP vipkit_notify_lines_skipped_total Notify FIFO lines that are not keepalived's, skipped.\n"
      "# TYPE vipkit_notify_lines_skipped_total counter\n"
      "vipkit_notify_lines_skipped_total 3\n"
      "# HELP vipkit_healthy 1 when the resident check passes (rise/fall applied): alive (keepalived's .alive file) or eligible (.eligible).\n"
      "# TYPE vipkit_healthy gauge\n"
      "vipkit_healthy{" + a + ",check=\"alive\"} 1\n"
      "vipkit_healthy{" + a + ",check=\"eligible\"} 0\n"
      "# HELP vipkit_redis_up 1 when the node answered the last check and is not loading.\n"
      "# TYPE vipkit_redis_up gauge\n"
      "vipkit_redis_up{" + a + ",node=\"local\"} 1\n"
      "vipkit_redis_up{" + a + ",node=\"peer\"} 1\n"
      "# HELP vipkit_redis_master_link_up A replica's link to its master (replicas only).\n"
      "# TYPE vipkit_redis_master_link_up gauge\n"
      "vipkit_redis_master_link_up{" + a + ",node=\"peer\"} 1\n"
      "# HELP vipkit_redis_master_repl_offset Replication offset (a replica's: processed).\n"
      "# TYPE vipkit_redis_master_repl_offset gauge\n"
      "vipkit_redis_master_repl_offset{" + a + ",node=\"local\"} 1500\n"
      "vipkit_redis_master_repl_offset{" + a + ",node=\"peer\"} 1200\n"
      "# HELP vipkit_replication_lag_bytes Bytes of the master's stream its replica has yet to process.\n"
      "# TYPE vipkit_replication_lag_bytes gauge\n"
      "vipkit_replication_lag_bytes{" + a + "} 300\n"
      "# HELP vipkit_failover_actions_total Actions taken on Redis for a VRRP state, by action and result (ok or the failure's reason).\n"
      "# TYPE vipkit_failover_actions_total counter\n"
      "vipkit_failover_actions_total{" + a + ",action=\"promote\",result=\"ok\"} 1\n"
      "vipkit_failover_actions_total{" + b + ",action=\"repoint\",result=\"peer-not-master\"} 1\n"
      "# HELP vipkit_health_check_duration_seconds Resident health check latency, local and peer.\n"
      "# TYPE vipkit_health_check_duration_seconds histogram\n" +
      buckets +
      "vipkit_health_check_duration_seconds_bucket{" + a + ",le=\"+Inf\"} 1\n"
      "vipkit_health_check_duration_seconds_sum{" + a + "} 0.0003\n"
      "vipkit_health_check_duration_seconds_count{" + a + "} 1\n";
  CHECK(notify::notify_metrics_text(two_instances()) == expected);
}

TEST_CASE("notify metrics: before any event, the families only", "[notify][metrics]") {
  const std::string text = notify::notify_metrics_text({});
  CHECK(text.find("vipkit_notify_lines_skipped_total 0\n") != std::string::npos);
  // Every other family is there with no sample: a scraper sees the names.
  CHECK(text.find("{instance=") == std::string::npos);
  CHECK(text.find("# TYPE vipkit_failover_actions_total counter\n") != std::string::npos);
}

TEST_CASE("notify metrics: an instance name is escaped in its label", "[notify][metrics]") {
  notify::NotifyMetrics m;
  m.instances["a\"b\\c"].events = 1;
  CHECK(notify::notify_metrics_text(m).find(R"(vipkit_notify_events_total{instance="a\"b\\c"} 1)") != std::string::npos);
}
