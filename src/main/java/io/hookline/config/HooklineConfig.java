package io.hookline.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole, validated configuration of a node. Defaults live in {@link ConfigLoader} only.
 * {@link #describe()} renders it for the boot log with every secret masked.
 */
public record HooklineConfig(
    Http http,
    Management management,
    Redis redis,
    Postgres postgres,
    Store store,
    Delivery delivery,
    Log log,
    String dataDir,
    List<SourceConfig> sources) {

  public record Http(String host, int port, long maxBodyBytes, int instances,
                     List<String> trustedProxies, Duration idleTimeout) {}

  public record Management(String host, int port, Secret adminToken) {}

  /** url null = not configured (embedded development mode when postgres is not configured either). */
  public record Redis(String url, String keyPrefix, Duration timeout) {}

  public record Postgres(String url, String schema, int poolSize) {}

  public record Store(int maxBatch, int queueCapacity, int maxBatchesInFlight, Duration retryAfter,
                      Duration duplicateWait) {}

  public record Delivery(int instances, Duration pollInterval, Duration lease, int maxInFlight,
                         int pollBatch, Duration drainTimeout) {}

  public record Log(String format, String level) {}

  public record SourceConfig(String id, String provider, List<Secret> secrets, Duration tolerance,
                             Duration dedupTtl, long maxBodyBytes, List<DestinationConfig> destinations,
                             Map<String, Object> providerOptions, String path) {}

  public record DestinationConfig(String id, String url, Duration timeout, int maxAttempts,
                                  Secret signingSecret, Duration initialBackoff, Duration maxBackoff,
                                  int maxInFlight) {}

  public boolean embedded() {
    return redis.url() == null && postgres.url() == null;
  }

  public SourceConfig source(String id) {
    for (SourceConfig s : sources) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    return null;
  }

  /** The effective configuration for the boot log: secrets masked, URLs without passwords. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    b.append("http: ").append(http).append('\n');
    b.append("management: host=").append(management.host()).append(" port=").append(management.port())
        .append(" adminToken=").append(management.adminToken() == null ? "(none: admin API disabled)" : "****")
        .append('\n');
    b.append("redis: url=").append(maskUrl(redis.url())).append(" keyPrefix=").append(redis.keyPrefix())
        .append(" timeout=").append(redis.timeout()).append('\n');
    b.append("postgres: url=").append(maskUrl(postgres.url())).append(" schema=").append(postgres.schema())
        .append(" poolSize=").append(postgres.poolSize()).append('\n');
    b.append("store: ").append(store).append('\n');
    b.append("delivery: ").append(delivery).append('\n');
    b.append("log: ").append(log).append('\n');
    b.append("dataDir: ").append(dataDir).append('\n');
    for (SourceConfig s : sources) {
      b.append("source ").append(s.id()).append(": provider=").append(s.provider())
          .append(" secrets=").append(s.secrets().size()).append("x****")
          .append(" tolerance=").append(s.tolerance()).append(" dedupTtl=").append(s.dedupTtl())
          .append(" maxBodyBytes=").append(s.maxBodyBytes());
      if (!s.providerOptions().isEmpty()) {
        b.append(' ').append(s.provider()).append("=").append(s.providerOptions().keySet());
      }
      b.append('\n');
      for (DestinationConfig d : s.destinations()) {
        b.append("  destination ").append(d.id()).append(": url=").append(maskUrl(d.url()))
            .append(" timeout=").append(d.timeout()).append(" maxAttempts=").append(d.maxAttempts())
            .append(" signingSecret=").append(d.signingSecret() == null ? "(none)" : "****")
            .append('\n');
      }
    }
    return b.toString();
  }

  /** Drops any password from a URL's user-info. */
  public static String maskUrl(String url) {
    if (url == null) {
      return "(not configured)";
    }
    int scheme = url.indexOf("://");
    int at = url.indexOf('@');
    if (scheme < 0 || at < scheme) {
      return url;
    }
    String userInfo = url.substring(scheme + 3, at);
    int colon = userInfo.indexOf(':');
    if (colon < 0) {
      return url;
    }
    return url.substring(0, scheme + 3) + userInfo.substring(0, colon) + ":****" + url.substring(at);
  }
}
