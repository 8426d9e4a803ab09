package io.hookline.node;

import io.hookline.dedup.RedisDedup;
import io.hookline.dedup.DedupMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.util.concurrent.TimeUnit;

/**
 * The facts behind {@code /health/ready}, for one verticle (confined to its event loop):
 * PostgreSQL on a connection of its own, so the check never waits behind ingest batches, and a
 * Redis ping, which is reported (body and {@code hookline_redis_up}) but never required.
 */
public final class ReadinessCheck {
  static final long CHECK_TIMEOUT_MS = 1000;
  private final Vertx vertx;
  private final PgConnectOptions connect;
  private final RedisDedup redis;
  private final DedupMetrics metrics;
  private PgConnection connection;
  private Future<PgConnection> connecting;
  /** The PostgreSQL check in flight: concurrent readiness requests share it. */
  private Future<Boolean> pgCheck;

  public ReadinessCheck(Vertx vertx, String postgresUrl, RedisDedup redis, DedupMetrics metrics) {
    this.vertx = vertx;
    this.connect = PgConnectOptions.fromUri(postgresUrl);
    // So operators can tell it apart in pg_stat_activity.
    connect.addProperty("application_name", "hookline-readiness");
    this.redis = redis;
    this.metrics = metrics;
  }

  /** True once PostgreSQL answered {@code SELECT 1}; false on error or after {@link #CHECK_TIMEOUT_MS}. */
  public Future<Boolean> postgres() {
    if (pgCheck == null) {
      Future<Boolean> check = connection().compose(c -> c.query("SELECT 1").execute().map(true))
          .timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
          .recover(err -> {
            // A connection that failed or hung is not trusted again (a network cut can leave it stuck
            // for minutes): the next check connects afresh.
            drop();
            return Future.succeededFuture(false);
          });
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

  private Future<PgConnection> connection() {
    if (connection != null) {
      return Future.succeededFuture(connection);
    }
    if (connecting == null) {
      connecting = PgConnection.connect(vertx, connect).onComplete(ar -> {
        connecting = null;
        if (ar.succeeded()) {
          PgConnection c = ar.result();
          connection = c;
          c.closeHandler(v -> {
            if (connection == c) {
              connection = null;
            }
          });
        }
      });
    }
    return connecting;
  }

  private void drop() {
    PgConnection c = connection;
    connection = null;
    if (c != null) {
      c.close();
    }
  }

  public Future<Void> close() {
    PgConnection c = connection;
    connection = null;
    return c == null ? Future.succeededFuture() : c.close();
  }
}
