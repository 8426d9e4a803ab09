package io.hookline.dedup;

import static io.hookline.testing.RedisServers.cli;
import static io.hookline.testing.RedisServers.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hookline.testing.RedisServers;
import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Sentinel setup on loopback ports (a master, a replica, one sentinel with quorum 1): a
 * node of type sentinel dedups on the master, and when the master is killed during traffic the
 * sentinel promotes the replica, no acknowledged event is lost and dedup works on the new master.
 */
class RedisSentinelTest {
  static final String MASTER = "mymaster";
  static RedisServers servers;
  static int masterPort;
  static int replicaPort;
  static int sentinelPort;
  static long masterPid;

  @BeforeAll
  static void startSentinel() {
    assumeTrue(RedisServers.installed(), "redis-server and redis-cli are not installed");
    servers = new RedisServers();
    // Each port is taken by its server before the next is picked.
    masterPort = RedisServers.freeClusterPort();
    masterPid = servers.server(masterPort);
    replicaPort = RedisServers.freeClusterPort();
    servers.server(replicaPort, "--replicaof", "127.0.0.1", String.valueOf(masterPort));
    waitFor(Duration.ofSeconds(30), () -> cli(replicaPort, "INFO", "replication").contains("master_link_status:up"),
        "replica in sync");
    sentinelPort = RedisServers.freeClusterPort();
    servers.sentinel(sentinelPort, MASTER, masterPort);
    waitFor(Duration.ofSeconds(30), () -> cli(sentinelPort, "SENTINEL", "REPLICAS", MASTER).contains(String.valueOf(replicaPort)),
        "sentinel knows the replica");
  }

  @AfterAll
  static void stopSentinel() {
    if (servers != null) {
      servers.close();
    }
  }

  static String currentMasterPort() {
    return cli(sentinelPort, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER).lines().skip(1).findFirst().orElse("").strip();
  }

  @Test
  void masterKilledDuringTrafficLosesNoAckedEventAndDedupResumesOnThePromotedReplica() throws Exception {
    try (TestNode node = TestNode.start(WebhookTraffic.SOURCES, Map.of("HOOKLINE_REDIS_URL", "",
        "HOOKLINE_REDIS_TYPE", "sentinel", "HOOKLINE_REDIS_URLS", "redis://127.0.0.1:" + sentinelPort,
        "HOOKLINE_REDIS_MASTER", MASTER), TestServices.pgUrl());
         WebhookTraffic traffic = new WebhookTraffic(node)) {
      // Dedup on the master the sentinel names.
      String first = traffic.newEventId();
      WebhookTraffic.Ack ack = traffic.post(first);
      assertThat(ack.duplicate()).isFalse();
      assertThat(cli(masterPort, "GET", traffic.key(first)).strip()).isEqualTo("p:" + ack.id());
      WebhookTraffic.Ack copy = traffic.post(first);
      assertThat(copy.duplicate()).isTrue();
      assertThat(copy.id()).isEqualTo(ack.id());
      assertThat(node.get(node.managementUrl() + "/health/ready").body()).contains("\"redis\":\"UP\"");

      traffic.start();
      waitFor(Duration.ofSeconds(30), () -> traffic.ackedCount() >= 100, "100 events acknowledged before the kill");
      servers.kill(masterPid);
      int ackedAtKill = traffic.ackedCount();

      waitFor(Duration.ofSeconds(30), () -> currentMasterPort().equals(String.valueOf(replicaPort))
          && cli(replicaPort, "ROLE").startsWith("master"), "the sentinel promoting the replica");
      String[] onNewMaster = new String[1];
      waitFor(Duration.ofSeconds(30), () -> {
        String e = traffic.newEventId();
        WebhookTraffic.Ack a = traffic.post(e);
        if (a != null && cli(replicaPort, "GET", traffic.key(e)).strip().equals("p:" + a.id())) {
          onNewMaster[0] = e;
          return true;
        }
        return false;
      }, "an event's key claimed on the promoted replica");
      WebhookTraffic.Ack again = traffic.post(onNewMaster[0]);
      assertThat(again.duplicate()).isTrue();
      assertThat(again.id()).isEqualTo(traffic.acked.get(onNewMaster[0]));
      traffic.stop();

      assertThat(traffic.ackedCount()).as("traffic went on through the failover").isGreaterThan(ackedAtKill);
      traffic.assertEveryAckStoredOnce();
      System.out.printf("sentinel failover: %d events acknowledged before the kill, %d in all%n", ackedAtKill,
          traffic.ackedCount());
    }
  }
}
