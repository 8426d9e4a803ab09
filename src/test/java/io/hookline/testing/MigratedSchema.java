package io.hookline.testing;

import io.hookline.store.Schema;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;

/** A test's own schema, migrated to the latest version, with a Vert.x and a 2-connection pool; dropped on close. */
public final class MigratedSchema implements AutoCloseable {
  public final Vertx vertx;
  public final Pool pool;
  public final String name;

  private MigratedSchema(Vertx vertx, Pool pool, String name) {
    this.vertx = vertx;
    this.pool = pool;
    this.name = name;
  }

  public static MigratedSchema create() {
    Vertx vertx = Vertx.vertx();
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
        .connectingTo(PgConnectOptions.fromUri(TestServices.pgUrl())).using(vertx).build();
    String name = TestServices.freshSchema();
    await(Schema.migrate(vertx, TestServices.pgUrl(), name));
    return new MigratedSchema(vertx, pool, name);
  }

  public static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    await(pool.query("DROP SCHEMA IF EXISTS " + name + " CASCADE").execute());
    await(pool.close());
    await(vertx.close());
  }
}
