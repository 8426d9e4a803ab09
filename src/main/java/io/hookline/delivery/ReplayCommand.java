package io.hookline.delivery;

import io.hookline.config.ConfigLoader;
import io.hookline.config.HooklineConfig;
import io.hookline.delivery.DeliveryStore.DeliveryView;
import io.hookline.delivery.DeliveryStore.ReplayFilter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.PrintStream;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Command-line access to dead letters and replay, straight against PostgreSQL (no running node
 * needed; running workers pick replayed deliveries up on their next poll):
 * <pre>
 *   dead-letters [--source S] [--destination D] [--limit 50]
 *   replay --event UUID [--destination D]
 *   replay [--source S] [--destination D] [--status dead,gone] [--since 24h | --since 2026-11-01T00:00:00Z]
 *          [--until ISO-8601] [--limit N]      (at least one filter; --status defaults to dead)
 * </pre>
 * Replaying an event replays its dead and gone deliveries; with --destination, that one delivery
 * whatever it finished as (a deliberate re-send).
 */
public final class ReplayCommand {
  private ReplayCommand() {}

  /** Returns the process exit code: 0 done, 1 failed, 2 usage error. */
  public static int run(String command, HooklineConfig config, Map<String, String> args, PrintStream out) {
    if (config.postgres().url() == null) {
      out.println(command + ": needs postgres.url (it works on a deployment's shared PostgreSQL; "
          + "an embedded development node's database is private to that node)");
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(PgConnectOptions.fromUri(config.postgres().url())).using(vertx).build();
    try {
      DeliveryStore store = new DeliveryStore(pool, config.postgres().schema());
      return switch (command) {
        case "dead-letters" -> deadLetters(store, args, out);
        case "replay" -> replay(store, args, out);
        default -> {
          out.println("unknown command '" + command + "' (expected dead-letters or replay)");
          yield 2;
        }
      };
    } catch (UsageException e) {
      out.println(command + ": " + e.getMessage());
      return 2;
    } catch (Exception e) {
      out.println(command + ": failed: " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
      return 1;
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

  private static int deadLetters(DeliveryStore store, Map<String, String> args, PrintStream out) {
    int limit = intArg(args, "limit", 50);
    List<DeliveryView> dead = await(store.list(new DeliveryStore.DeliveryQuery(args.get("source"), args.get("destination"),
        Set.of(DeliveryStore.DEAD), null, limit)));
    out.println(dead.size() + " dead deliveries (newest first" + (dead.size() == limit ? ", limited to " + limit : "") + ")");
    for (DeliveryView d : dead) {
      out.println(d.eventId() + "  " + d.sourceId() + " -> " + d.destinationId() + "  round " + d.round() + ", "
          + d.attempts() + " attempts, last " + d.updatedAt() + ": " + (d.lastError() == null ? "" : d.lastError()));
    }
    return 0;
  }

  private static int replay(DeliveryStore store, Map<String, String> args, PrintStream out) {
    if (args.containsKey("event")) {
      UUID id;
      try {
        id = UUID.fromString(args.get("event"));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--event must be a Hookline event id (UUID), got '" + args.get("event") + "'");
      }
      String destination = args.get("destination");
      int n = await(destination == null ? store.replayEvent(id) : store.replayDelivery(id, destination));
      out.println("replayed " + n + " deliveries of event " + id
          + (n == 0 ? " (nothing finished to replay: unknown id, still pending, or all delivered)" : ""));
      return 0;
    }
    // A bare "replay" must not mean "replay every dead letter": ask for at least one filter.
    if (List.of("source", "destination", "status", "since", "until").stream().noneMatch(args::containsKey)) {
      throw new UsageException("give --event UUID, or at least one filter: --source S, --destination D, "
          + "--status dead,gone, --since 24h|ISO, --until ISO (and optionally --limit N)");
    }
    Set<String> statuses = new LinkedHashSet<>(Arrays.asList(args.getOrDefault("status", DeliveryStore.DEAD).split(",")));
    statuses.removeIf(String::isBlank);
    ReplayFilter filter = new ReplayFilter(args.get("source"), args.get("destination"), statuses,
        time(args, "since"), time(args, "until"), args.containsKey("limit") ? intArg(args, "limit", 0) : null);
    int n = await(store.replay(filter));
    out.println("replayed " + n + " deliveries");
    return 0;
  }

  /** A relative duration back from now (24h, 30m) or an ISO-8601 instant. */
  private static OffsetDateTime time(Map<String, String> args, String key) {
    String v = args.get(key);
    if (v == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v);
    } catch (DateTimeParseException notIso) {
      try {
        return OffsetDateTime.now(ZoneOffset.UTC).minus(ConfigLoader.parseDuration(v));
      } catch (RuntimeException notDuration) {
        throw new UsageException("--" + key + " must be a duration back from now (24h) or an ISO-8601 time, got '" + v + "'");
      }
    }
  }

  private static int intArg(Map<String, String> args, String key, int def) {
    String v = args.get(key);
    if (v == null) {
      return def;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + key + " must be a number, got '" + v + "'");
    }
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
