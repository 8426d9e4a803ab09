package io.hookline.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which meters a node records. Chosen deliberately, because Vert.x's own per-request meters cost
 * throughput on the hot path (measured: see README.md, Operations):
 * <ul>
 *   <li>{@code HTTP_SERVER} off: per-request timers and tag lookups on every webhook, and
 *       {@code hookline_ingest_seconds} already measures the same thing with useful labels.</li>
 *   <li>{@code EVENT_BUS} off: it builds tags and looks a gauge up on every message; the hand-off
 *       is measured by {@code hookline_handoff_lag_seconds} and delivery by the delivery meters.</li>
 *   <li>{@code NET_SERVER}, {@code DATAGRAM_SOCKET} off: unused or covered by the above.</li>
 *   <li>{@code HTTP_CLIENT}, {@code NET_CLIENT} off: they look timers up by tags on every delivery
 *       attempt and count bytes on every read; {@code hookline_delivery_seconds} and
 *       {@code hookline_deliveries_total} measure each attempt already.</li>
 *   <li>On: named pools ({@code vertx_pool_*}: worker pool, SQL pools), the SQL and Redis client
 *       meters (per statement or batch, not per event), and the JVM binders (memory, GC, threads,
 *       classes, CPU, uptime).</li>
 * </ul>
 * Config key {@code metrics.mode}: {@code default} (above), {@code full} (every Vert.x
 * category, including per-request HTTP server metrics), {@code vertx-off} (only Hookline's and JVM
 * meters), {@code off} (no meters at all; {@code /metrics} is empty: for measuring the cost only).
 */
public enum MetricsSetup {
  DEFAULT, FULL, VERTX_OFF, OFF;

  /** {@code metrics.mode} (validated by the config loader): default | full | vertx-off | off. */
  public static MetricsSetup of(String mode) {
    return valueOf(mode.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  /** The registry Hookline's own meters go to, and {@code /metrics} scrapes. */
  public PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Bounded cardinality for Vert.x's meters too: clients that do not name their pool (the Redis
    // client) get a random UUID as pool_name, a new series per client. Fold those into one per type.
    registry.config().meterFilter(MeterFilter.replaceTagValues("pool_name",
        v -> RANDOM_POOL_NAME.matcher(v).matches() ? "unnamed" : v));
    // No control characters in label values (some names join ids with a NUL), which would break
    // Prometheus text parsers downstream.
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        boolean dirty = false;
        for (Tag t : id.getTagsAsIterable()) {
          dirty |= hasControl(t.getValue());
        }
        if (!dirty) {
          return id;
        }
        List<Tag> clean = new ArrayList<>();
        for (Tag t : id.getTagsAsIterable()) {
          clean.add(Tag.of(t.getKey(), hasControl(t.getValue()) ? t.getValue().replaceAll("\\p{Cntrl}", "/") : t.getValue()));
        }
        return id.replaceTags(clean);
      }
    });
    registry.config().meterFilter(LATENCY_BUCKETS);
    return registry;
  }

  /**
   * Every {@code hookline.*} timer gets the {@link Buckets#LATENCY} histogram unless it sets its own,
   * so the packages that record timers need nothing from this one.
   */
  static final MeterFilter LATENCY_BUCKETS = new MeterFilter() {
    private final double[] nanos = java.util.Arrays.stream(Buckets.LATENCY).mapToDouble(d -> (double) d.toNanos()).toArray();

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
      if (id.getType() != Meter.Type.TIMER || !id.getName().startsWith("hookline.")
          || config.getServiceLevelObjectiveBoundaries() != null) {
        return config;
      }
      return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
    }
  };

  private static boolean hasControl(String v) {
    for (int i = 0; i < v.length(); i++) {
      if (Character.isISOControl(v.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static final Pattern RANDOM_POOL_NAME =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** Where Hookline's own meters are recorded: the Prometheus registry, or nowhere when {@code off}. */
  public MeterRegistry recordingRegistry(PrometheusMeterRegistry prometheus) {
    // A composite with no child records nothing: every meter becomes a no-op.
    return this == OFF ? new CompositeMeterRegistry() : prometheus;
  }

  /** Vert.x metrics options, or null when Vert.x metrics are off. */
  public MicrometerMetricsOptions vertxOptions() {
    if (this == OFF || this == VERTX_OFF) {
      return null;
    }
    MicrometerMetricsOptions options = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    if (this == DEFAULT) {
      // Categories are matched by MetricsDomain.toCategory() ("http.server"), not by enum name.
      options.addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
          .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
          .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
          .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
          .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
          .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET);
    }
    return options;
  }

  /** JVM meters bound directly when Vert.x metrics (which normally bind them) are off. */
  public boolean bindJvmMetricsDirectly() {
    return this == VERTX_OFF;
  }
}
