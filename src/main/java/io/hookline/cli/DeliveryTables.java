package io.hookline.cli;

import io.hookline.config.HooklineConfig;
import io.hookline.store.Deliveries;
import io.hookline.store.Replays;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * The delivery tables of a deployment's PostgreSQL, for the commands that work on them directly
 * (no running node needed; running workers pick replayed deliveries up on their next poll).
 */
final class DeliveryTables {
  private DeliveryTables() {}

  /** The store classes a command works with, over one connection. */
  record Stores(Deliveries deliveries, Replays replays) {}

  /** Runs {@code work} on a one-connection store; returns its exit code, 1 if it failed. */
  static int with(String command, HooklineConfig config, PrintStream out, Function<Stores, Integer> work) {
    if (config.postgres().url() == null) {
      out.println(command + ": needs postgres.url (it works on a deployment's shared PostgreSQL; "
          + "an embedded development node's database is private to that node)");
      return CommandLine.ExitCode.USAGE;
    }
    Vertx vertx = Vertx.vertx();
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(PgConnectOptions.fromUri(config.postgres().url())).using(vertx).build();
    try {
      String schema = config.postgres().schema();
      return work.apply(new Stores(new Deliveries(pool, schema), new Replays(pool, schema)));
    } catch (CommandLine.ParameterException e) {
      throw e;
    } catch (RuntimeException e) {
      out.println(command + ": failed: " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
      return CommandLine.ExitCode.SOFTWARE;
    } finally {
      // Closed one after the other from this thread: a close chained on Vert.x's own threads
      // would complete on an executor that is already shut down, and never be seen here.
      try {
        await(pool.close());
      } finally {
        await(vertx.close());
      }
    }
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
