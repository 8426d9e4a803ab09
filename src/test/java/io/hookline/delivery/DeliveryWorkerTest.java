package io.hookline.delivery;

import static io.hookline.delivery.Harness.destination;
import static io.hookline.delivery.Harness.eventually;
import static io.hookline.delivery.Harness.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.config.HooklineConfig;
import io.hookline.config.Secret;
import io.hookline.delivery.TestDestination.Received;
import io.hookline.delivery.TestDestination.Reply;
import io.hookline.store.Deliveries;
import io.hookline.store.DeliveryStatus;
import io.hookline.store.Replays;
import io.hookline.testing.TestServices;
import io.hookline.verify.SignatureVerifier;
import io.hookline.verify.VerifierSpec;
import io.hookline.verify.WebhookRequest;
import io.hookline.verify.provider.Verifiers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery workers in-process against real PostgreSQL (a fresh schema per test) and real HTTP
 * destinations. Events are inserted the way ingest commits them and announced on the event bus.
 */
class DeliveryWorkerTest {
  static final String FAST = "instances: 1, pollInterval: 100ms, drainTimeout: 2s";
  static final String QUICK_RETRY = "timeout: 2s, initialBackoff: 50ms, maxBackoff: 200ms";
  static final Duration WITHIN = Duration.ofSeconds(20);

  Harness h;
  SimpleMeterRegistry registry;

  @BeforeEach
  void setUp() {
    h = new Harness();
    registry = new SimpleMeterRegistry();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  List<Row> attempts(UUID eventId, String destinationId) {
    List<Row> rows = new ArrayList<>();
    h.query("SELECT round, attempt, status_code, outcome, error, started_at, finished_at, node_id, latency_ms "
        + "FROM {schema}.delivery_attempts WHERE event_id = $1 AND destination_id = $2 ORDER BY round, attempt",
        eventId, destinationId).forEach(rows::add);
    return rows;
  }

  double counter(String destination, String outcome) {
    var c = registry.find("hookline.deliveries").tag("source", "src").tag("destination", destination)
        .tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void twoServerErrorsThenOkIsDeliveredOnTheThirdAttemptWithEveryAttemptRecorded() {
    AtomicInteger calls = new AtomicInteger();
    TestDestination dest = TestDestination.start(h.vertx,
        r -> calls.incrementAndGet() <= 2 ? Reply.status(500) : Reply.status(200));
    HooklineConfig cfg = h.config(FAST, source("src", destination("main", dest.url(), QUICK_RETRY + ", maxAttempts: 5")));
    h.deploy(cfg, "node-a", registry);

    UUID id = h.insertEvent("src", "{\"hello\":1}", "main");
    h.hint(id);
    eventually(WITHIN, "delivered", () -> h.status(id, "main").equals("delivered"));

    List<Row> rows = attempts(id, "main");
    assertThat(rows).extracting(r -> r.getInteger("attempt")).containsExactly(1, 2, 3);
    assertThat(rows).extracting(r -> r.getInteger("status_code")).containsExactly(500, 500, 200);
    assertThat(rows).extracting(r -> r.getString("outcome")).containsExactly("retry", "retry", "delivered");
    assertThat(rows.get(0).getString("error")).startsWith("HTTP 500");
    assertThat(rows.get(2).getString("error")).isNull();
    assertThat(rows).allSatisfy(r -> assertThat(r.getString("node_id")).isEqualTo("node-a"));
    assertThat(dest.receivedFor(id.toString())).extracting(Received::attempt).containsExactly(1, 2, 3);
    Row delivery = h.query("SELECT attempts, round, last_status, lease_owner, lease_until FROM {schema}.deliveries "
        + "WHERE event_id = $1", id).iterator().next();
    assertThat(delivery.getInteger("attempts")).isEqualTo(3);
    assertThat(delivery.getInteger("round")).isEqualTo(1);
    assertThat(delivery.getInteger("last_status")).isEqualTo(200);
    assertThat(delivery.getString("lease_owner")).isNull();
    assertThat(delivery.getValue("lease_until")).isNull();

    eventually(WITHIN, "meters updated", () -> counter("main", "delivered") == 1);
    assertThat(counter("main", "retry")).isEqualTo(2);
    assertThat(counter("main", "dead")).isZero();
    assertThat(registry.find("hookline.delivery").tag("destination", "main").timer().count()).isEqualTo(3);
  }

  @Test
  void destinationDownBeyondMaxAttemptsIsDeadLetteredAndReplayDeliversOnceItIsBack() {
    int port = TestServices.freePort();
    String url = "http://127.0.0.1:" + port + "/hook";
    HooklineConfig cfg = h.config(FAST, source("src", destination("main", url, QUICK_RETRY + ", maxAttempts: 3")));
    h.deploy(cfg, "node-a", registry);

    UUID id = h.insertEvent("src", "{\"down\":true}", "main");
    h.hint(id);
    eventually(WITHIN, "dead", () -> h.status(id, "main").equals("dead"));
    List<Row> rows = attempts(id, "main");
    assertThat(rows).extracting(r -> r.getString("outcome")).containsExactly("retry", "retry", "dead");
    assertThat(rows).allSatisfy(r -> {
      assertThat(r.getInteger("status_code")).isNull();
      assertThat(r.getString("error")).isNotBlank();
    });

    Deliveries store = new Deliveries(h.sql, h.schema);
    List<Deliveries.DeliveryView> dead = Harness.await(store.listDead("src", 10));
    assertThat(dead).singleElement().satisfies(d -> {
      assertThat(d.eventId()).isEqualTo(id);
      assertThat(d.attempts()).isEqualTo(3);
      assertThat(d.lastError()).isNotBlank();
    });

    try (TestDestination up = TestDestination.start(h.vertx, port, r -> Reply.status(204))) {
      assertThat(Harness.await(new Replays(h.sql, h.schema).replayEvent(id, null, DeliveryStatus.FINISHED)).replayed())
          .isEqualTo(1);
      h.hint(id);
      eventually(WITHIN, "delivered after replay", () -> h.status(id, "main").equals("delivered"));
      assertThat(up.receivedFor(id.toString())).singleElement().extracting(Received::attempt).isEqualTo(1);
    }
    rows = attempts(id, "main");
    assertThat(rows).extracting(r -> r.getInteger("round") + "/" + r.getInteger("attempt") + "/" + r.getString("outcome"))
        .containsExactly("1/1/retry", "1/2/retry", "1/3/dead", "2/1/delivered");
    assertThat(Harness.await(store.listDead("src", 10))).isEmpty();
    assertThat(counter("main", "dead")).isEqualTo(1);
  }

  @Test
  void retryAfterOn429HoldsTheNextAttemptBackAtLeastThatLong() {
    AtomicInteger calls = new AtomicInteger();
    TestDestination dest = TestDestination.start(h.vertx,
        r -> calls.incrementAndGet() == 1 ? Reply.retryAfter(429, "2") : Reply.status(200));
    HooklineConfig cfg = h.config(FAST, source("src", destination("main", dest.url(), QUICK_RETRY + ", maxAttempts: 5")));
    h.deploy(cfg, "node-a", registry);

    UUID id = h.insertEvent("src", "{}", "main");
    h.hint(id);
    eventually(WITHIN, "delivered", () -> h.status(id, "main").equals("delivered"));

    List<Row> rows = attempts(id, "main");
    assertThat(rows).extracting(r -> r.getInteger("status_code")).containsExactly(429, 200);
    OffsetDateTime firstFinished = rows.get(0).getOffsetDateTime("finished_at");
    OffsetDateTime secondStarted = rows.get(1).getOffsetDateTime("started_at");
    assertThat(Duration.between(firstFinished, secondStarted)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    // The destination's own clock agrees.
    List<Received> seen = dest.receivedFor(id.toString());
    assertThat(TestDestination.millisBetween(seen.get(0), seen.get(1))).isGreaterThanOrEqualTo(2000);
  }

  @Test
  void goneStopsRetryingThatDelivery() {
    TestDestination dest = TestDestination.start(h.vertx,
        r -> new String(r.body().getBytes(), StandardCharsets.UTF_8).contains("gone") ? Reply.status(410) : Reply.status(200));
    HooklineConfig cfg = h.config(FAST, source("src", destination("main", dest.url(), QUICK_RETRY + ", maxAttempts: 5")));
    h.deploy(cfg, "node-a", registry);

    UUID gone = h.insertEvent("src", "{\"gone\":true}", "main");
    h.hint(gone);
    eventually(WITHIN, "gone", () -> h.status(gone, "main").equals("gone"));
    // Later work through the same worker and destination is the synchronisation point: had the
    // gone delivery been retried, it would have been retried by now (backoff <= 200 ms).
    for (int i = 0; i < 5; i++) {
      UUID later = h.insertEvent("src", "{\"ok\":" + i + "}", "main");
      h.hint(later);
      eventually(WITHIN, "later event delivered", () -> h.status(later, "main").equals("delivered"));
    }
    assertThat(dest.receivedFor(gone.toString())).hasSize(1);
    assertThat(attempts(gone, "main")).singleElement().satisfies(r -> {
      assertThat(r.getInteger("status_code")).isEqualTo(410);
      assertThat(r.getString("outcome")).isEqualTo("gone");
    });
    assertThat(counter("main", "gone")).isEqualTo(1);
  }

  @Test
  void fanOutDeliversToAHealthyDestinationWhileOthersFailOrHang() {
    TestDestination failing = TestDestination.start(h.vertx, r -> Reply.status(500));
    TestDestination hanging = TestDestination.start(h.vertx, r -> Reply.holdForever());
    TestDestination healthy = TestDestination.start(h.vertx, r -> Reply.status(200));
    HooklineConfig cfg = h.config("instances: 2, pollInterval: 100ms, drainTimeout: 1s", source("src",
        destination("failing", failing.url(), "timeout: 2s, initialBackoff: 1s, maxBackoff: 5s, maxAttempts: 3")
            + destination("hanging", hanging.url(), "timeout: 30s, maxInFlight: 2, maxAttempts: 3")
            + destination("healthy", healthy.url(), "timeout: 2s")));
    h.deploy(cfg, "node-a", registry);

    long start = System.nanoTime();
    List<UUID> ids = h.insertEvents(30, "src", "failing", "hanging", "healthy");
    ids.forEach(h::hint);
    eventually(Duration.ofSeconds(10), "all delivered to the healthy destination",
        () -> h.count("SELECT count(*) FROM {schema}.deliveries WHERE destination_id = 'healthy' AND status = 'delivered'") == 30);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    // The hanging destination holds its two permits, and nothing more is sent to it.
    assertThat(hanging.maxConcurrent()).isLessThanOrEqualTo(2);
    assertThat(hanging.received()).hasSizeLessThanOrEqualTo(2);
    assertThat(failing.received()).isNotEmpty();
    assertThat(h.count("SELECT count(*) FROM {schema}.deliveries WHERE destination_id <> 'healthy' AND status = 'delivered'"))
        .isZero();
  }

  @Test
  void signatureAndHeadersVerifyWithIndependentStandardWebhooksChecks() {
    String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    TestDestination signed = TestDestination.start(h.vertx, r -> Reply.status(200));
    TestDestination plain = TestDestination.start(h.vertx, r -> Reply.status(200));
    HooklineConfig cfg = h.config(FAST, source("src",
        destination("signed", signed.url(), "signingSecret: \"" + secret + "\"")
            + destination("plain", plain.url(), "")));
    h.deploy(cfg, "node-a", registry);

    String body = "{\"test\": 2432232314, \"unicode\": \"h\u00e9llo \u2603\"}";
    UUID id = h.insertEvent("src", body, "signed", "plain");
    h.hint(id);
    eventually(WITHIN, "both delivered", () -> h.status(id, "signed").equals("delivered")
        && h.status(id, "plain").equals("delivered"));

    Received r = signed.receivedFor(id.toString()).get(0);
    assertThat(r.body().getBytes()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
    assertThat(r.headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(r.headers().get("webhook-id")).isEqualTo(id.toString());
    assertThat(r.headers().get("Hookline-Source")).isEqualTo("src");
    assertThat(r.headers().get("Hookline-Attempt")).isEqualTo("1");
    long ts = Long.parseLong(r.headers().get("webhook-timestamp"));
    assertThat(Math.abs(ts - r.arrivedEpochMillis() / 1000)).isLessThanOrEqualTo(5);
    assertThat(handWrittenStandardWebhooksCheck(secret, r)).isTrue();
    assertThat(handWrittenStandardWebhooksCheck("whsec_" + Base64.getEncoder().encodeToString(new byte[24]), r)).isFalse();

    // And the ingest side's verifier (written separately) accepts it as a Standard Webhooks source would.
    SignatureVerifier verifier = Verifiers.create(new VerifierSpec("std", "standard", List.of(Secret.of(secret)),
        Duration.ofMinutes(5), Map.of(), "sources[0]"));
    assertThat(verifier.verify(asRequest(r)).accepted()).isTrue();

    Received p = plain.receivedFor(id.toString()).get(0);
    assertThat(p.headers().get("webhook-signature")).isNull();
    assertThat(p.headers().get("webhook-id")).isEqualTo(id.toString());
    assertThat(p.headers().get("webhook-timestamp")).isNotNull();
  }

  /** Standard Webhooks v1 verification written from the specification, sharing no code with Hookline. */
  static boolean handWrittenStandardWebhooksCheck(String secret, Received r) {
    try {
      String id = r.headers().get("webhook-id");
      String ts = r.headers().get("webhook-timestamp");
      if (Math.abs(Long.parseLong(ts) - System.currentTimeMillis() / 1000) > 300) {
        return false;
      }
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.split("_", 2)[1]), "HmacSHA256"));
      byte[] signedContent = (id + "." + ts + "." + r.body().toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
      byte[] expected = mac.doFinal(signedContent);
      for (String entry : r.headers().get("webhook-signature").split(" ")) {
        String[] parts = entry.split(",", 2);
        if (parts[0].equals("v1") && MessageDigest.isEqual(Base64.getDecoder().decode(parts[1]), expected)) {
          return true;
        }
      }
      return false;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static WebhookRequest asRequest(Received r) {
    return new WebhookRequest() {
      @Override
      public String header(String name) {
        return r.headers().get(name);
      }

      @Override
      public List<String> headers(String name) {
        return r.headers().getAll(name);
      }

      @Override
      public byte[] body() {
        return r.body().getBytes();
      }

      @Override
      public long receivedAtMillis() {
        return r.arrivedEpochMillis();
      }

      @Override
      public String publicUrl() {
        return "http://127.0.0.1/hook";
      }
    };
  }

  @Test
  void aHangingDestinationTimesOutAndEachAttemptIsBoundedByTheTimeout() {
    TestDestination dest = TestDestination.start(h.vertx, r -> Reply.holdForever());
    HooklineConfig cfg = h.config(FAST, source("src", destination("main", dest.url(),
        "timeout: 300ms, initialBackoff: 50ms, maxBackoff: 100ms, maxAttempts: 2")));
    h.deploy(cfg, "node-a", registry);
    UUID id = h.insertEvent("src", "{}", "main");
    h.hint(id);
    eventually(WITHIN, "dead", () -> h.status(id, "main").equals("dead"));
    List<Row> rows = attempts(id, "main");
    assertThat(rows).hasSize(2).allSatisfy(r -> {
      assertThat(r.getString("error")).contains("timeout");
      assertThat(r.getInteger("latency_ms")).isBetween(250, 2000);
    });
  }

  @Test
  void perDestinationAndNodeWideInFlightCapsHoldAcrossInstances() {
    // One server behind two destinations: its concurrency is the node's total to both.
    TestDestination dest = TestDestination.start(h.vertx, r -> Reply.delayed(200, 150));
    HooklineConfig cfg = h.config("instances: 2, pollInterval: 50ms, maxInFlight: 5, pollBatch: 50",
        source("src", destination("a", dest.url(), "maxInFlight: 3") + destination("b", dest.url() + "?b", "maxInFlight: 3")));
    h.deploy(cfg, "node-a", registry);
    List<UUID> ids = h.insertEvents(15, "src", "a", "b");
    ids.forEach(h::hint);
    eventually(WITHIN, "all delivered",
        () -> h.count("SELECT count(*) FROM {schema}.deliveries WHERE status = 'delivered'") == 30);
    assertThat(dest.maxConcurrent()).isLessThanOrEqualTo(5).isGreaterThanOrEqualTo(3);

    TestDestination single = TestDestination.start(h.vertx, r -> Reply.delayed(200, 100));
    Harness other = new Harness();
    try {
      HooklineConfig one = other.config("instances: 2, pollInterval: 50ms",
          source("src", destination("only", single.url(), "maxInFlight: 2")));
      other.deploy(one, "node-b", new SimpleMeterRegistry());
      other.insertEvents(10, "src", "only").forEach(other::hint);
      eventually(WITHIN, "all delivered",
          () -> other.count("SELECT count(*) FROM {schema}.deliveries WHERE status = 'delivered'") == 10);
      assertThat(single.maxConcurrent()).isEqualTo(2);
    } finally {
      other.close();
    }
  }

  @Test
  void aLiveLeaseIsRespectedAndAnExpiredOneIsTakenOver() {
    TestDestination dest = TestDestination.start(h.vertx, r -> Reply.status(200));
    HooklineConfig cfg = h.config(FAST, source("src", destination("main", dest.url(), "")));
    UUID id = h.insertEvent("src", "{}", "main");
    // As if a node had claimed attempt 1 and then died mid-request.
    Row lease = h.query("UPDATE {schema}.deliveries SET lease_owner = 'crashed-node/0', attempts = 1, "
        + "lease_until = now() + interval '2 seconds' WHERE event_id = $1 RETURNING lease_until", id).iterator().next();
    long leaseUntilMillis = lease.getOffsetDateTime(0).toInstant().toEpochMilli();
    h.deploy(cfg, "node-a", registry);
    h.hint(id);
    eventually(WITHIN, "delivered after the lease expired", () -> h.status(id, "main").equals("delivered"));
    Received r = dest.receivedFor(id.toString()).get(0);
    assertThat(r.arrivedEpochMillis()).isGreaterThanOrEqualTo(leaseUntilMillis);
    assertThat(r.attempt()).isEqualTo(2);
    assertThat(attempts(id, "main")).singleElement().satisfies(row -> assertThat(row.getInteger("attempt")).isEqualTo(2));
  }

  @Test
  void aNodeRestartingUnderTheSameIdTakesBackItsLeasesAtOnce() {
    TestDestination dest = TestDestination.start(h.vertx, r -> Reply.status(200));
    HooklineConfig cfg = h.config("instances: 2, pollInterval: 100ms", source("src", destination("main", dest.url(), "")));
    UUID claimed = h.insertEvent("src", "{\"claimed\":1}", "main");
    UUID handedOff = h.insertEvent("src", "{\"handedOff\":1}", "main");
    // As if node-a's previous run had claimed one and been handed the other, then died: an hour of lease left.
    h.query("UPDATE {schema}.deliveries SET lease_owner = 'node-a/1', attempts = 1, lease_until = now() + interval '1 hour', "
        + "next_attempt_at = now() + interval '1 hour' WHERE event_id = $1", claimed);
    h.query("UPDATE {schema}.deliveries SET lease_owner = 'node-a/handoff', attempts = 1, lease_until = now() + interval '1 hour', "
        + "next_attempt_at = now() + interval '1 hour' WHERE event_id = $1", handedOff);
    // A lease of another node whose id starts the same is not ours.
    UUID other = h.insertEvent("src", "{\"other\":1}", "main");
    h.query("UPDATE {schema}.deliveries SET lease_owner = 'node-ab/0', attempts = 1, lease_until = now() + interval '1 hour', "
        + "next_attempt_at = now() + interval '1 hour' WHERE event_id = $1", other);
    h.syncDeliveries();
    h.deploy(cfg, "node-a", registry);
    eventually(WITHIN, "both delivered long before the hour is up",
        () -> h.status(claimed, "main").equals("delivered") && h.status(handedOff, "main").equals("delivered"));
    assertThat(attempts(claimed, "main")).singleElement().satisfies(row -> assertThat(row.getInteger("attempt")).isEqualTo(2));
    assertThat(h.query("SELECT lease_owner FROM {schema}.deliveries WHERE event_id = $1", other).iterator().next()
        .getString(0)).isEqualTo("node-ab/0");
    assertThat(dest.receivedFor(other.toString())).isEmpty();
  }

  @Test
  void stopAbortsWhatIsStillInFlightAndReleasesItsLeasesForAnotherNode() {
    TestDestination dest = TestDestination.start(h.vertx, r -> Reply.holdForever());
    // Lease of at least timeout + margin = 35 s: only the release lets node B in quickly.
    HooklineConfig cfg = h.config("instances: 1, pollInterval: 100ms, drainTimeout: 500ms",
        source("src", destination("main", dest.url(), "timeout: 30s, maxAttempts: 1")));
    String a = h.deploy(cfg, "node-a", registry);
    UUID id = h.insertEvent("src", "{}", "main");
    h.hint(id);
    eventually(WITHIN, "request held by the destination", () -> dest.holding() == 1);
    Harness.await(h.vertx.undeploy(a));

    Row d = h.query("SELECT status, lease_owner, attempts FROM {schema}.deliveries WHERE event_id = $1", id).iterator().next();
    assertThat(d.getString("status")).isEqualTo("pending");
    assertThat(d.getString("lease_owner")).isNull();
    assertThat(attempts(id, "main")).singleElement().satisfies(row -> {
      assertThat(row.getString("outcome")).isEqualTo("aborted");
      assertThat(row.getString("node_id")).isEqualTo("node-a");
    });

    // maxAttempts 1, yet the shutdown did not make it dead: the next node gets a real attempt.
    dest.script(r -> Reply.status(200));
    long start = System.nanoTime();
    h.deploy(cfg, "node-b", registry);
    eventually(Duration.ofSeconds(10), "delivered by node B", () -> h.status(id, "main").equals("delivered"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(attempts(id, "main")).extracting(row -> row.getString("node_id") + ":" + row.getString("outcome"))
        .containsExactly("node-a:aborted", "node-b:delivered");
  }

  @Test
  void pendingGaugeCountsUndeliveredDeliveries() {
    int port = TestServices.freePort();
    HooklineConfig cfg = h.config(FAST, source("src", destination("main", "http://127.0.0.1:" + port + "/",
        "initialBackoff: 1h, maxBackoff: 1h")));
    h.insertEvents(4, "src", "main");
    h.deploy(cfg, "node-a", registry);
    eventually(WITHIN, "gauge", () -> {
      var g = registry.find("hookline.events.pending").gauge();
      return g != null && g.value() == 4;
    });
  }
}
