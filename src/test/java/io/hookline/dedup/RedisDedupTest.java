package io.hookline.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.metrics.MicrometerIngestMetrics;
import io.hookline.testing.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real Redis: commands issued in one event-loop turn go out as one batch, and each caller still gets
 * its own key's answer; only a committed key answers duplicate, a pending one goes on to PostgreSQL.
 */
class RedisDedupTest {
  Vertx vertx;
  Context context;
  RedisDedup dedup;
  Redis plain;
  String prefix;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    prefix = TestServices.freshPrefix();
    MicrometerIngestMetrics metrics = new MicrometerIngestMetrics(new SimpleMeterRegistry(), List.of("s"), Map.of("s", "github"));
    dedup = onContext(() -> Future.succeededFuture(new RedisDedup(vertx, TestServices.redisUrl(), prefix, 2000, metrics)));
    plain = Redis.createClient(vertx, TestServices.redisUrl());
  }

  @AfterEach
  void tearDown() {
    onContext(() -> dedup.close());
    plain.close();
    await(vertx.close());
  }

  <T> T onContext(Supplier<Future<T>> work) {
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(p));
    return await(p.future());
  }

  String get(String key) {
    Response r = await(plain.send(Request.cmd(Command.GET).arg(key)));
    return r == null ? null : r.toString();
  }

  @Test
  void claimsInOneTurnAreAnsweredPerKey() {
    String fresh = dedup.key("s", "fresh");
    String committed = dedup.key("s", "committed");
    String pending = dedup.key("s", "pending");
    await(plain.send(Request.cmd(Command.SET).arg(committed).arg("c:first-id").arg("PX").arg(60_000)));
    await(plain.send(Request.cmd(Command.SET).arg(pending).arg("p:other-id").arg("PX").arg(60_000)));

    List<DedupResult> results = onContext(() -> {
      List<Future<DedupResult>> claims = new ArrayList<>();
      claims.add(dedup.claim(fresh, "id-1", 60_000));
      claims.add(dedup.claim(committed, "id-2", 60_000));
      claims.add(dedup.claim(pending, "id-3", 60_000));
      claims.add(dedup.claim(fresh, "id-4", 60_000)); // a second copy in the same turn
      return Future.all(new ArrayList<>(claims)).map(cf -> claims.stream().map(Future::result).toList());
    });
    assertThat(results.get(0).kind()).isEqualTo(DedupResult.Kind.CLAIMED);
    assertThat(results.get(1)).isEqualTo(new DedupResult(DedupResult.Kind.COMMITTED_DUPLICATE, "first-id"));
    assertThat(results.get(2).kind()).isEqualTo(DedupResult.Kind.CLAIMED_ELSEWHERE);
    assertThat(results.get(3).kind()).isEqualTo(DedupResult.Kind.CLAIMED_ELSEWHERE);
    assertThat(get(fresh)).isEqualTo("p:id-1");

    // After the commit the mark replaces the claim; after a failed commit the claim is released.
    onContext(() -> {
      dedup.markCommitted(fresh, "id-1", 60_000);
      return dedup.release(pending, "not-the-holder");
    });
    assertThat(get(pending)).as("only the holder's claim is released").isEqualTo("p:other-id");
    onContext(() -> dedup.release(pending, "other-id"));
    assertThat(get(pending)).isNull();
    assertThat(get(fresh)).isEqualTo("c:id-1");
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
