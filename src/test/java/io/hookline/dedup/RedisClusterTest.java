package io.hookline.dedup;

import static io.hookline.testing.RedisServers.cli;
import static io.hookline.testing.RedisServers.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hookline.config.HooklineConfig;
import io.hookline.testing.RedisServers;
import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Redis Cluster on loopback ports (three masters, one replica each, created with
 * {@code redis-cli --cluster create}): dedup keys spread over the masters, duplicates are answered
 * from Redis, and killing a master during traffic loses no acknowledged event.
 */
class RedisClusterTest {
  static RedisServers servers;
  static int[] ports;
  static Map<Integer, Long> pids = new java.util.HashMap<>();

  @BeforeAll
  static void startCluster() {
    assumeTrue(RedisServers.installed(), "redis-server and redis-cli are not installed");
    servers = new RedisServers();
    ports = new int[6];
    List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    for (int i = 0; i < ports.length; i++) {
      ports[i] = RedisServers.freeClusterPort();
      pids.put(ports[i], servers.clusterNode(ports[i]));
      create.add("127.0.0.1:" + ports[i]);
    }
    create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
    String out = RedisServers.run(create);
    assertThat(out).as("redis-cli --cluster create").contains("[OK] All 16384 slots covered");
    for (int port : ports) {
      waitFor(Duration.ofSeconds(30), () -> cli(port, "CLUSTER", "INFO").contains("cluster_state:ok"),
          "cluster_state:ok on " + port);
    }
    for (int port : replicas()) {
      waitFor(Duration.ofSeconds(30), () -> cli(port, "INFO", "replication").contains("master_link_status:up"),
          "replica " + port + " in sync");
    }
  }

  @AfterAll
  static void stopCluster() {
    if (servers != null) {
      servers.close();
    }
  }

  static TestNode clusterNode() {
    String seeds = Arrays.stream(ports).limit(3).mapToObj(p -> "redis://127.0.0.1:" + p).collect(Collectors.joining(","));
    return TestNode.start(WebhookTraffic.SOURCES, Map.of("HOOKLINE_REDIS_URL", "", "HOOKLINE_REDIS_TYPE", "cluster",
        "HOOKLINE_REDIS_URLS", seeds), TestServices.pgUrl());
  }

  /** Lines of CLUSTER NODES as seen by a live node: id, address, flags, master id. */
  static List<String[]> nodes() {
    for (int port : ports) {
      String out = cli(port, "CLUSTER", "NODES");
      if (out.contains("myself")) {
        return out.lines().map(l -> l.split(" ")).filter(f -> f.length > 3).toList();
      }
    }
    throw new AssertionError("no cluster node answers");
  }

  static int port(String[] node) {
    String addr = node[1];
    return Integer.parseInt(addr.substring(addr.indexOf(':') + 1, addr.indexOf('@')));
  }

  static List<Integer> masters() {
    return nodes().stream().filter(n -> n[2].contains("master") && !n[2].contains("fail")).map(RedisClusterTest::port).toList();
  }

  static List<Integer> replicas() {
    return nodes().stream().filter(n -> n[2].contains("slave")).map(RedisClusterTest::port).toList();
  }

  static long keysOn(int port, String prefix) {
    return cli(port, "--scan", "--pattern", prefix + "*").lines().filter(l -> !l.isBlank()).count();
  }

  /** One event-loop turn of claims on keys of every master (a single batch would be refused as cross-slot). */
  @Test
  void oneTurnOfCommandsAcrossSlotsIsAnsweredPerKey() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Context context = vertx.getOrCreateContext();
      String prefix = TestServices.freshPrefix();
      HooklineConfig.Redis config = new HooklineConfig.Redis(null, prefix, Duration.ofSeconds(2), "cluster",
          List.of("redis://127.0.0.1:" + masters().get(0)), null);
      RedisDedup dedup = onContext(context, () -> Future.succeededFuture(new RedisDedup(vertx, config, DedupMetrics.NONE)));
      List<String> keys = IntStream.range(0, 48).mapToObj(i -> dedup.key("s", "e" + i)).toList();

      List<DedupResult> claims = onContext(context, () -> all(keys.stream().map(k -> dedup.claim(k, "id-" + k, 60_000)).toList()));
      assertThat(claims).allMatch(r -> r.kind() == DedupResult.Kind.CLAIMED);
      onContext(context, () -> {
        keys.forEach(k -> dedup.markCommitted(k, "id-" + k, 60_000));
        return dedup.ping();
      });
      List<DedupResult> copies = onContext(context, () -> all(keys.stream().map(k -> dedup.claim(k, "other", 60_000)).toList()));
      for (int i = 0; i < keys.size(); i++) {
        assertThat(copies.get(i)).isEqualTo(new DedupResult(DedupResult.Kind.COMMITTED_DUPLICATE, "id-" + keys.get(i)));
      }
      assertThat(masters().stream().filter(p -> keysOn(p, prefix) > 0).count()).isEqualTo(masters().size());
      onContext(context, dedup::close);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  static <T> Future<List<T>> all(List<Future<T>> futures) {
    return Future.all(new ArrayList<>(futures)).map(cf -> futures.stream().map(Future::result).toList());
  }

  static <T> T onContext(Context context, Supplier<Future<T>> work) throws Exception {
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(p));
    return p.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void keysSpreadOverTheMastersAndDuplicatesAreAnsweredFromRedis() throws Exception {
    try (TestNode node = clusterNode()) {
      WebhookTraffic traffic = new WebhookTraffic(node);
      List<String> events = IntStream.range(0, 30).mapToObj(i -> traffic.newEventId()).toList();
      for (String e : events) {
        assertThat(traffic.post(e).duplicate()).isFalse();
      }
      for (String e : events) {
        WebhookTraffic.Ack again = traffic.post(e);
        assertThat(again.duplicate()).isTrue();
        assertThat(again.id()).isEqualTo(traffic.acked.get(e));
      }
      traffic.assertEveryAckStoredOnce();

      List<Long> perMaster = masters().stream().map(p -> keysOn(p, node.keyPrefix())).toList();
      assertThat(perMaster.stream().mapToLong(Long::longValue).sum()).as("keys per master " + perMaster).isEqualTo(30);
      assertThat(perMaster.stream().filter(n -> n > 0).count()).as("masters holding keys " + perMaster).isGreaterThan(1);
      String first = events.get(0);
      // Its copy went on to PostgreSQL once, which confirmed it: the key is marked, so later copies stop at Redis.
      waitFor(Duration.ofSeconds(10), () -> cli(masters().get(0), "-c", "GET", traffic.key(first)).strip()
          .equals("c:" + traffic.acked.get(first)), "the first event's key marked committed");
      // Redis answered every dedup call: none fell back to PostgreSQL because Redis failed.
      assertThat(node.get(node.managementUrl() + "/metrics").body())
          .containsPattern("hookline_dedup_redis_unavailable_total(\\{[^}]*\\})? 0\\.0");
      assertThat(node.get(node.managementUrl() + "/health/ready").body()).contains("\"redis\":\"UP\"");
    }
  }

  @Test
  void killingAMasterDuringTrafficLosesNoAckedEventAndItsReplicaTakesOverDedup() throws Exception {
    try (TestNode node = clusterNode(); WebhookTraffic traffic = new WebhookTraffic(node)) {
      String[] victim = nodes().stream().filter(n -> n[2].contains("master") && !n[2].contains("fail")).findFirst().orElseThrow();
      int victimPort = port(victim);
      int heir = nodes().stream().filter(n -> n[2].contains("slave") && n[3].equals(victim[0])).map(RedisClusterTest::port)
          .findFirst().orElseThrow();
      traffic.start();
      waitFor(Duration.ofSeconds(30), () -> traffic.ackedCount() >= 100, "100 events acknowledged before the kill");
      servers.kill(pids.get(victimPort));
      int ackedAtKill = traffic.ackedCount();

      // Redis's own failover normally promotes the replica in 2-3 s (node timeout 1 s). Once in CI on the
      // loaded 2-core machine it had not after 30 s, leaving the cluster down for this class's other tests;
      // then the heir is promoted as an operator would (CLUSTER FAILOVER TAKEOVER): Hookline's part is the same.
      BooleanSupplier promoted = () -> cli(heir, "ROLE").startsWith("master")
          && cli(heir, "CLUSTER", "INFO").contains("cluster_state:ok");
      if (!RedisServers.within(Duration.ofSeconds(30), promoted)) {
        System.out.println("cluster failover: replica " + heir + " not promoted by Redis in 30 s; CLUSTER FAILOVER TAKEOVER");
        cli(heir, "CLUSTER", "FAILOVER", "TAKEOVER");
        waitFor(Duration.ofSeconds(30), promoted, "replica " + heir + " promoted by TAKEOVER");
      }
      // Dedup on the promoted master again: a new event whose key lives there is claimed there, and its copy
      // is answered as a duplicate (poll: the node reconnects once the slot map shows the new master).
      String[] onHeir = new String[1];
      waitFor(Duration.ofSeconds(30), () -> {
        String e = traffic.newEventId();
        WebhookTraffic.Ack ack = traffic.post(e);
        if (ack != null && cli(heir, "GET", traffic.key(e)).strip().equals("p:" + ack.id())) {
          onHeir[0] = e;
          return true;
        }
        return false;
      }, "an event's key claimed on the promoted master " + heir);
      WebhookTraffic.Ack again = traffic.post(onHeir[0]);
      assertThat(again.duplicate()).isTrue();
      assertThat(again.id()).isEqualTo(traffic.acked.get(onHeir[0]));
      traffic.stop();

      assertThat(traffic.ackedCount()).as("traffic went on through the failover").isGreaterThan(ackedAtKill);
      traffic.assertEveryAckStoredOnce();
      System.out.printf("cluster failover: %d events acknowledged before the kill, %d in all%n", ackedAtKill,
          traffic.ackedCount());
    }
  }
}
