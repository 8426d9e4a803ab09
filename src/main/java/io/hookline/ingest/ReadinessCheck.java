package io.hookline.ingest;

import io.hookline.dedup.RedisDedup;
import io.hookline.metrics.IngestMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * The facts behind {@code /health/ready}, for one verticle (confined to its event loop):
 * PostgreSQL on a one-connection pool of its own, so the check never waits behind ingest batches,
 * and a Redis ping, which is reported (body and {@code hookline_redis_up}) but never required.
 */
public final class ReadinessCheck {
  static final long CHECK_TIMEOUT_MS = 1000;
  /** Checks waiting for the one connection beyond this fail at once instead of piling up. */
  private static final int MAX_WAITING = 4;
  private final Pool pg;
  private final RedisDedup redis;
  private final IngestMetrics metrics;
  /** The PostgreSQL check in flight: concurrent readiness requests share it. */
  private Future<Boolean> pgCheck;

  public ReadinessCheck(Vertx vertx, String postgresUrl, RedisDedup redis, IngestMetrics metrics) {
    PgConnectOptions connect = PgConnectOptions.fromUri(postgresUrl);
    // So operators can tell it apart in pg_stat_activity.
    connect.addProperty("application_name", "hookline-readiness");
    this.pg = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(1).setMaxWaitQueueSize(MAX_WAITING).setName("hookline-readiness"))
        .with(new NetClientOptions().setConnectTimeout((int) CHECK_TIMEOUT_MS))
        .connectingTo(connect).using(vertx).build();
    this.redis = redis;
    this.metrics = metrics;
  }

  /** True once PostgreSQL answered {@code SELECT 1}; false on error or after {@link #CHECK_TIMEOUT_MS}. */
  public Future<Boolean> postgres() {
    if (pgCheck == null) {
      Future<Boolean> check = pg.query("SELECT 1").execute().map(true)
          .timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS).otherwise(false);
      pgCheck = check;
      check.onComplete(ar -> pgCheck = null);
    }
    return pgCheck;
  }

  /** True if Redis answered a PING in time; the outcome also sets {@code hookline_redis_up}. */
  public Future<Boolean> redis() {
    return redis.ping().map(true).timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS).otherwise(false)
        .onSuccess(metrics::redisPinged);
  }

  public Future<Void> close() {
    return pg.close();
  }
}
