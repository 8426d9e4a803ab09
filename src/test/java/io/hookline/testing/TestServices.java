package io.hookline.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.UUID;
import redis.embedded.RedisServer;

/**
 * Real PostgreSQL and Redis for tests: the machine's services when HOOKLINE_TEST_PG_URL /
 * HOOKLINE_TEST_REDIS_URL point at them (CI sets both), else embedded ones started once per JVM.
 * Every test takes its own schema ({@link #freshSchema}) and key prefix ({@link #freshPrefix}).
 */
public final class TestServices {
  private static String pgUrl;
  private static String redisUrl;

  private TestServices() {}

  public static synchronized String pgUrl() {
    if (pgUrl == null) {
      String env = System.getenv("HOOKLINE_TEST_PG_URL");
      if (env != null && !env.isBlank()) {
        pgUrl = env;
      } else {
        try {
          EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
              pg.close();
            } catch (IOException ignored) {
              // the JVM is exiting anyway
            }
          }));
          pgUrl = "postgresql://postgres@127.0.0.1:" + pg.getPort() + "/postgres";
        } catch (IOException e) {
          throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
      }
    }
    return pgUrl;
  }

  public static synchronized String redisUrl() {
    if (redisUrl == null) {
      String env = System.getenv("HOOKLINE_TEST_REDIS_URL");
      if (env != null && !env.isBlank()) {
        redisUrl = env;
      } else {
        try {
          int port = freePort();
          RedisServer redis = new RedisServer(port);
          redis.start();
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
              redis.stop();
            } catch (IOException ignored) {
              // the JVM is exiting anyway
            }
          }));
          redisUrl = "redis://127.0.0.1:" + port;
        } catch (IOException e) {
          throw new UncheckedIOException("could not start embedded Redis", e);
        }
      }
    }
    return redisUrl;
  }

  /** A schema name no other test uses. */
  public static String freshSchema() {
    return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
  }

  /** A Redis key prefix no other test uses. */
  public static String freshPrefix() {
    return "test:" + UUID.randomUUID() + ":";
  }

  public static int freePort() {
    return FreePorts.pick();
  }

  /** Drops a test's schema and everything in it: each test leaves the shared database as it found it. */
  public static void dropSchema(String schema) {
    if (!schema.matches("t_[0-9a-f]{16}")) {
      throw new IllegalArgumentException("not a test schema: " + schema); // never a real one
    }
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.vertx.sqlclient.Pool pool = io.vertx.pgclient.PgBuilder.pool()
          .connectingTo(io.vertx.pgclient.PgConnectOptions.fromUri(pgUrl())).using(vertx).build();
      pool.query("DROP SCHEMA IF EXISTS " + schema + " CASCADE").execute()
          .eventually(pool::close).toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not drop schema " + schema, e);
    } finally {
      vertx.close();
    }
  }
}
