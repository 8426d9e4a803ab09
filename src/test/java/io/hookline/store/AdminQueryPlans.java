package io.hookline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hookline.store.EventSearch.Filter;
import io.hookline.store.EventSearch.Position;
import io.hookline.store.EventSearch.Route;
import io.hookline.store.EventSearch.Statement;
import io.hookline.store.Replays.Criteria;
import io.hookline.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Query-plan fixture, not part of the suite (its name does not match Surefire's patterns; it needs
 * a seeded schema). Run:
 * <pre>mvn -o test -Dtest=AdminQueryPlans -Dhookline.plans.schema=admin_seed [-Dhookline.plans.events=1000000]</pre>
 * It migrates the schema, seeds it with load-tests/admin/seed-events.sh when it holds fewer events
 * than asked, then EXPLAIN (ANALYZE, BUFFERS)es every list query the admin API can issue (the exact
 * SQL EventSearch builds), times each (median of 5) and writes load-tests/admin/PLANS.md. Fails if
 * any plan reads events or deliveries with a sequential scan.
 */
class AdminQueryPlans {
  private static final int RUNS = 5;
  private static final java.time.Duration PARTITION =
      java.time.Duration.parse(System.getProperty("hookline.plans.partition", "1h").toUpperCase(java.util.Locale.ROOT)
          .replaceFirst("^(\\d+)([HM])$", "PT$1$2").replaceFirst("^(\\d+)D$", "P$1D"));
  /** A partition's name in a plan: folded, so 720 partitions' scans read as one line each kind. */
  private static final String PARTITION_SUFFIX = "_p\\d{8}_\\d{4}";
  /** The seed's destinations plus one stripe destination added since (no event has a delivery to it). */
  private static final List<Route> ROUTES = List.of(new Route("stripe", "billing"), new Route("stripe", "ledger"),
      new Route("stripe", "audit"), new Route("github", "github-app"), new Route("shopify", "shopify-app"),
      new Route("slack", "slack-app"), new Route("rare", "rare-app"));

  @Test
  void everyListQueryUsesIndexes() throws Exception {
    String schema = System.getProperty("hookline.plans.schema");
    assumeTrue(schema != null, "set -Dhookline.plans.schema to run the query-plan fixture");
    long events = Long.getLong("hookline.plans.events", 1_000_000);
    Vertx vertx = Vertx.vertx();
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(PgConnectOptions.fromUri(TestServices.pgUrl())).using(vertx).build();
    try {
      await(Schema.migrate(vertx, TestServices.pgUrl(), schema));
      long have = await(pool.query("SELECT count(*) FROM " + schema + ".events").execute()).iterator().next().getLong(0);
      if (have < events) {
        // Partitioned as a node would keep it (storage.partition, default 1h): the seed's 30 days, made before COPY.
        // One day per transaction: hundreds of CREATE TABLEs in one would overflow PostgreSQL's lock table.
        int made = 0;
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).minusDays(31);
        for (OffsetDateTime day = start; day.isBefore(start.plusDays(31).plusHours(2)); day = day.plusDays(1)) {
          made += await(new PartitionStore(pool, schema).ensureBetween(day, day.plusDays(1), PARTITION));
        }
        System.out.println("[plans] partitions made: " + made);
        Process seed = new ProcessBuilder("load-tests/admin/seed-events.sh", schema, Long.toString(events))
            .inheritIO().start();
        assertThat(seed.waitFor(30, TimeUnit.MINUTES)).isTrue();
        assertThat(seed.exitValue()).isZero();
      }
      EventSearch search = new EventSearch(pool, schema);
      Row mid = await(pool.query("SELECT received_at, id FROM " + schema + ".events ORDER BY received_at DESC, id DESC "
          + "OFFSET " + (events / 2) + " LIMIT 1").execute()).iterator().next();
      Position deep = new Position(mid.getOffsetDateTime(0), mid.getUUID(1));
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);

      Map<String, Filter> lists = new LinkedHashMap<>();
      lists.put("newest 50, no filter", filter(null, null, null, null, null, null, null, null, List.of()));
      lists.put("page deep in the middle (cursor)", filter(null, null, null, null, null, null, null, deep, List.of()));
      lists.put("source=github", filter("github", null, null, null, null, null, null, null, List.of()));
      lists.put("source=rare (5%)", filter("rare", null, null, null, null, null, null, null, List.of()));
      lists.put("source=github, cursor", filter("github", null, null, null, null, null, null, deep, List.of()));
      lists.put("destination=ledger (stripe's)", filter(null, "ledger", null, null, null, null, null, null, List.of("stripe")));
      lists.put("status=dead (dead letters)", filter(null, null, List.of("dead"), null, null, null, null, null, List.of()));
      lists.put("status=dead, cursor", filter(null, null, List.of("dead"), null, null, null, null, deep, List.of()));
      lists.put("status=pending", filter(null, null, List.of("pending"), null, null, null, null, null, List.of()));
      lists.put("status=gone", filter(null, null, List.of("gone"), null, null, null, null, null, List.of()));
      lists.put("status=delivered", filter(null, null, List.of("delivered"), null, null, null, null, null, List.of()));
      lists.put("type=rare.type (0.1%)", filter(null, null, null, "rare.type", null, null, null, null, List.of()));
      lists.put("type=type.7", filter(null, null, null, "type.7", null, null, null, null, List.of()));
      lists.put("providerEventId alone", filter(null, null, null, null, "evt_123457", null, null, null, List.of()));
      lists.put("providerEventId + source", filter("github", null, null, null, "evt_123457", null, null, null, List.of()));
      lists.put("since=24h", filter(null, null, null, null, null, now.minusHours(24), null, null, List.of()));
      lists.put("since/until: a 1 h window 10 days ago", filter(null, null, null, null, null, now.minusDays(10).minusHours(1),
          now.minusDays(10), null, List.of()));
      lists.put("source=stripe, status=dead, since=7d", filter("stripe", null, List.of("dead"), null, null, now.minusDays(7),
          null, null, List.of()));
      lists.put("destination=ledger, status=dead", filter(null, "ledger", List.of("dead"), null, null, null, null, null,
          List.of("stripe")));
      lists.put("source=shopify, type=type.3, until=20 days ago", filter("shopify", null, null, "type.3", null, null,
          now.minusDays(20), null, List.of()));
      lists.put("rare source, dead, window 1 day", filter("rare", null, List.of("dead"), null, null, now.minusDays(11),
          now.minusDays(10), null, List.of()));
      lists.put("status=filtered (stripe's events lack 'audit')", filter(null, null, List.of("filtered"), null, null, null,
          null, null, List.of()));
      lists.put("status=filtered, destination=ledger (none), since=24h", filter(null, "ledger", List.of("filtered"), null,
          null, now.minusHours(24), null, null, List.of("stripe")));

      StringBuilder md = new StringBuilder("# Admin API query plans\n\n")
          .append("Written by `AdminQueryPlans` (see its Javadoc) on `").append(schema).append("`: ")
          .append(events).append(" events seeded by `seed-events.sh`, in ")
          .append(await(pool.query("SELECT count(*) FROM " + schema + ".storage_partitions").execute()).iterator().next().getLong(0))
          .append(" partitions of ").append(PARTITION.toString().substring(2).toLowerCase(java.util.Locale.ROOT))
          .append(" per table (`-Dhookline.plans.partition`), PostgreSQL ")
          .append(await(pool.query("SHOW server_version").execute()).iterator().next().getString(0))
          .append(", on a 2-core machine shared with other work (times are medians of ").append(RUNS)
          .append(" runs, warm cache; the load average was ").append(Files.readString(Path.of("/proc/loadavg")).trim())
          .append(" while it ran, so read times as orders of magnitude).\n\n| query | median ms | rows | plan (top) |\n|---|---:|---:|---|\n");
      StringBuilder plans = new StringBuilder("\n## Plans\n");
      List<String> seqScans = new ArrayList<>();
      Map<String, Statement> all = new LinkedHashMap<>();
      lists.forEach((name, f) -> all.put("list: " + name, await(search.listStatement(f))));
      // The same dead-letter page when there are many dead deliveries (the other plan).
      all.put("list: status=dead, walking the newest events (used from " + EventSearch.FEW_DELIVERIES + " dead)",
          search.listStatement(lists.get("status=dead (dead letters)"), false));
      UUID someId = await(pool.query("SELECT id FROM " + schema + ".events WHERE provider_event_id = 'evt_4242'").execute())
          .iterator().next().getUUID(0);
      all.put("detail: the event", new Statement("SELECT e.id, e.source_id, e.provider_event_id, e.event_type, e.received_at, "
          + "e.content_type, e.headers::text, e.body FROM " + schema + ".events e WHERE e.id = $1", Tuple.of(someId)));
      all.put("detail/list: deliveries of a page", new Statement("SELECT * FROM " + schema
          + ".deliveries WHERE event_id = ANY($1::uuid[]) ORDER BY event_id, destination_id", Tuple.of((Object) new UUID[] {someId})));
      all.put("detail: attempts", new Statement("SELECT * FROM " + schema
          + ".delivery_attempts WHERE event_id = $1 ORDER BY destination_id, round, attempt", Tuple.of(someId)));
      Replays replays = new Replays(pool, schema);
      all.put("bulk replay dry run: status=dead", replays.countStatement(new Criteria(null, null, List.of(DeliveryStatus.DEAD), null, null, null)));
      all.put("bulk replay dry run: dead of stripe, since=7d", replays.countStatement(
          new Criteria("stripe", null, List.of(DeliveryStatus.DEAD), null, now.minusDays(7), null)));
      Map<String, Statement> reported = new LinkedHashMap<>();
      reported.put("sources: counts by source and status (whole table)", new Statement("SELECT source_id, status, count(*) FROM "
          + schema + ".deliveries GROUP BY 1, 2", Tuple.tuple()));

      // A partition PostgreSQL knows to be (nearly) empty is rightly read by a sequential scan: only bigger ones count.
      Map<String, Double> rowsOf = new LinkedHashMap<>();
      await(pool.query("SELECT c.relname, c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
          + "WHERE n.nspname = '" + schema + "'").execute()).forEach(r -> rowsOf.put(r.getString(0), r.getDouble(1)));
      java.util.regex.Pattern seqScan = java.util.regex.Pattern.compile(
          "Seq Scan on ((?:events|deliveries)(?:" + PARTITION_SUFFIX + "|_default)?)\\b");
      for (Map.Entry<String, Statement> e : all.entrySet()) {
        String plan = explain(pool, e.getValue());
        java.util.regex.Matcher m = seqScan.matcher(plan);
        while (m.find()) {
          if (rowsOf.getOrDefault(m.group(1), 0.0) > 1_000) {
            seqScans.add(e.getKey() + " (" + m.group(1) + ")");
            break;
          }
        }
        row(md, plans, pool, e.getKey(), e.getValue(), plan);
      }
      for (Map.Entry<String, Statement> e : reported.entrySet()) {
        row(md, plans, pool, e.getKey() + " (not a list filter: reported, not checked)", e.getValue(),
            explain(pool, e.getValue()));
      }
      Files.writeString(Path.of("load-tests/admin/PLANS.md"), md.append(plans).toString());
      assertThat(seqScans).as("queries planned with a sequential scan of events or deliveries (over 1,000 rows)").isEmpty();
    } finally {
      await(pool.close());
      await(vertx.close());
    }
  }

  private static Filter filter(String source, String destination, List<String> statuses, String type, String providerEventId,
                               OffsetDateTime since, OffsetDateTime until, Position after, List<String> sourcesWithDestination) {
    return new Filter(source, destination, statuses, type, providerEventId, since, until, after, 50, sourcesWithDestination,
        ROUTES);
  }

  private static void row(StringBuilder md, StringBuilder plans, Pool pool, String name, Statement st, String plan) {
    List<Double> ms = new ArrayList<>();
    int rows = 0;
    for (int i = 0; i < RUNS; i++) {
      long t = System.nanoTime();
      rows = await(pool.preparedQuery(st.sql()).execute(st.args())).size();
      ms.add((System.nanoTime() - t) / 1e6);
    }
    ms.sort(Double::compare);
    String top = plan.lines().filter(l -> l.contains("Scan") || l.contains("Join") || l.contains("Nested") || l.contains("Append"))
        .map(l -> l.trim().replaceAll("\\s+\\(.*", "").replace("->  ", "").replaceAll(PARTITION_SUFFIX, "_p*")
            .replaceAll(" (events|deliveries|delivery_attempts)_\\d+", " $1")).distinct().limit(5)
        .reduce((a, b) -> a + "; " + b).orElse("");
    md.append("| ").append(name).append(" | ").append(String.format("%.2f", ms.get(RUNS / 2))).append(" | ").append(rows)
        .append(" | ").append(top.replace("|", "\\|")).append(" |\n");
    plans.append("\n### ").append(name).append("\n\n```sql\n").append(st.sql()).append("\n-- ").append(st.args().deepToString())
        .append("\n```\n\n```\n").append(folded(plan)).append("```\n");
  }

  /** A plan over hundreds of partitions repeats one subplan per partition: the first 60 lines, then how many more. */
  private static String folded(String plan) {
    List<String> lines = plan.lines().toList();
    long partitions = lines.stream().filter(l -> l.matches(".*(Scan|Append).*" + PARTITION_SUFFIX + ".*")).count();
    if (lines.size() <= 80) {
      return plan;
    }
    return String.join("\n", lines.subList(0, 60)) + "\n  … " + (lines.size() - 60) + " more lines (" + partitions
        + " partition scans in all) …\n" + String.join("\n", lines.subList(lines.size() - 4, lines.size())) + "\n";
  }

  private static String explain(Pool pool, Statement st) {
    StringBuilder out = new StringBuilder();
    await(pool.preparedQuery("EXPLAIN (ANALYZE, BUFFERS) " + st.sql()).execute(st.args()))
        .forEach(r -> out.append(r.getString(0)).append('\n'));
    return out.toString();
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
