package io.hookline.management.admin;

import io.hookline.config.ConfigLoader;
import io.hookline.overview.TrafficRecorder;
import io.hookline.store.TrafficStore;
import io.hookline.store.TrafficStore.StepTotals;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /admin/api/stats?source=&since=24h&until=&step=1m}: the fleet's traffic per step, every
 * node summed (docs/overview.md). Every step in the range is listed, zero-filled, oldest first.
 */
final class StatsHandler implements Handler<RoutingContext> {
  private static final Set<String> PARAMS = Set.of("source", "since", "until", "step");
  static final int MAX_STEPS = 10_080;

  private final TrafficStore store;

  StatsHandler(TrafficStore store) {
    this.store = store;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Params p = new Params(ctx.queryParams(), PARAMS);
    Duration step = step(p.string("step"));
    long stepSeconds = step.toSeconds();
    OffsetDateTime sinceAsked = p.time("since", true);
    OffsetDateTime untilAsked = p.time("until", false);
    Instant until = untilAsked == null ? Instant.now() : untilAsked.toInstant();
    Instant sinceRaw = sinceAsked == null ? until.minus(Duration.ofHours(24)) : sinceAsked.toInstant();
    // Steps start on whole multiples of the step since the epoch, so every node and every page agree.
    Instant since = Instant.ofEpochSecond(Math.floorDiv(sinceRaw.getEpochSecond(), stepSeconds) * stepSeconds);
    if (!since.isBefore(until)) {
      throw AdminFailure.badParameter("since", "since must be before until");
    }
    long steps = (until.getEpochSecond() - since.getEpochSecond() + stepSeconds - 1) / stepSeconds;
    if (steps > MAX_STEPS) {
      throw AdminFailure.badParameter("step", "that range is " + steps + " steps of " + p.string("step")
          + "; at most " + MAX_STEPS + ": choose a larger step or a shorter range");
    }
    if (stepSeconds % 3600 != 0 && since.isBefore(Instant.now().minus(TrafficStore.MINUTES_KEPT))) {
      throw AdminFailure.badParameter("step", "per-minute tallies are kept " + TrafficStore.MINUTES_KEPT.toDays()
          + " days; a range reaching further back needs a step of whole hours (1h, 6h, 1d)");
    }
    String source = p.string("source");
    OffsetDateTime from = since.atOffset(ZoneOffset.UTC);
    store.steps(from, until.atOffset(ZoneOffset.UTC), step, source).onSuccess(found -> {
      JsonArray out = new JsonArray();
      TreeSet<String> sources = new TreeSet<>();
      found.values().forEach(m -> sources.addAll(m.keySet()));
      for (long i = 0; i < steps; i++) {
        OffsetDateTime at = from.plusSeconds(i * stepSeconds);
        Map<String, StepTotals> bySource = found.getOrDefault(at, Map.of());
        StepTotals all = new StepTotals();
        JsonObject perSource = new JsonObject();
        bySource.forEach((id, t) -> {
          perSource.put(id, json(t));
          add(all, t);
        });
        out.add(json(all).put("at", AdminJson.time(at)).put("sources", perSource));
      }
      JsonArray bounds = new JsonArray();
      for (long micros : TrafficRecorder.BUCKET_MICROS) {
        bounds.add(micros / 1000.0);
      }
      ctx.json(new JsonObject().put("since", since.toString()).put("until", until.toString())
          .put("stepSeconds", stepSeconds).put("sources", new JsonArray(sources.stream().toList()))
          .put("ackBucketsMs", bounds).put("steps", out));
    }).onFailure(ctx::fail);
  }

  private static Duration step(String v) {
    if (v == null) {
      return Duration.ofMinutes(1);
    }
    try {
      Duration d = ConfigLoader.parseDuration(v);
      if (d.toSeconds() >= 60 && d.toSeconds() % 60 == 0 && d.toNanos() % 1_000_000_000L == 0) {
        return d;
      }
    } catch (IllegalArgumentException ignored) {
      // reported below
    }
    throw AdminFailure.badParameter("step", "step must be a whole number of minutes like 1m, 5m, 1h, 1d; got '" + v + "'");
  }

  private static void add(StepTotals all, StepTotals t) {
    all.accepted += t.accepted;
    all.duplicate += t.duplicate;
    all.delivered += t.delivered;
    all.failed += t.failed;
    t.refused.forEach((r, n) -> all.refused.merge(r, n, Long::sum));
    if (all.ackBuckets.length < t.ackBuckets.length) {
      all.ackBuckets = java.util.Arrays.copyOf(all.ackBuckets, t.ackBuckets.length);
    }
    for (int i = 0; i < t.ackBuckets.length; i++) {
      all.ackBuckets[i] += t.ackBuckets[i];
    }
  }

  private static JsonObject json(StepTotals t) {
    long refusedTotal = t.refused.values().stream().mapToLong(Long::longValue).sum();
    return new JsonObject().put("accepted", t.accepted).put("duplicate", t.duplicate)
        .put("refused", new JsonObject(new java.util.LinkedHashMap<>(t.refused))).put("refusedTotal", refusedTotal)
        .put("delivered", t.delivered).put("failed", t.failed)
        .put("ackP50Ms", percentile(t.ackBuckets, 0.50)).put("ackP99Ms", percentile(t.ackBuckets, 0.99));
  }

  /**
   * The q-quantile of bucketed latencies in ms, interpolated linearly inside its bucket (the
   * overflow bucket answers its lower bound); null without any.
   */
  static Double percentile(long[] buckets, double q) {
    long total = 0;
    for (long n : buckets) {
      total += n;
    }
    if (total == 0) {
      return null;
    }
    double rank = q * total;
    long seen = 0;
    long[] bounds = TrafficRecorder.BUCKET_MICROS;
    for (int i = 0; i < buckets.length; i++) {
      if (buckets[i] > 0 && seen + buckets[i] >= rank) {
        if (i >= bounds.length) {
          return bounds[bounds.length - 1] / 1000.0; // the overflow bucket: above the last bound
        }
        double lower = i == 0 ? 0 : bounds[i - 1];
        double within = (rank - seen) / buckets[i];
        return Math.round((lower + within * (bounds[i] - lower)) / 10.0) / 100.0;
      }
      seen += buckets[i];
    }
    return bounds[bounds.length - 1] / 1000.0;
  }
}
