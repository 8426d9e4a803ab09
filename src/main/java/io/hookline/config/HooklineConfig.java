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
    List<SourceConfig> sources,
    Retention retention) {

  public record Http(String host, int port, long maxBodyBytes, int instances,
                     List<String> trustedProxies, Duration idleTimeout) {}

  /** {@code replayRate}: most deliveries a bulk replay job moves back to pending per second. */
  public record Management(String host, int port, Secret adminToken, int replayRate) {}

  /** How long finished events are kept: all delivered (or gone), or with a dead delivery. */
  public record Retention(Duration delivered, Duration dead) {}

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
        .append(" replayRate=").append(management.replayRate()).append('\n');
    b.append("retention: ").append(retention).append('\n');
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

  private static final java.util.regex.Pattern SECRET_QUERY_PARAM = java.util.regex.Pattern.compile(
      "(?i)([?&][^=&#]*(?:pass|pwd|secret|token|key|auth|sig|credential)[^=&#]*=)[^&#]*");

  /**
   * Masks any password in a URL's user-info, and the values of query parameters whose names look
   * secret ({@code password=}, {@code token=}, {@code api_key=}, ...), for logs and error messages.
   */
  public static String maskUrl(String url) {
    if (url == null) {
      return "(not configured)";
    }
    String masked = maskUserInfo(url);
    return SECRET_QUERY_PARAM.matcher(masked).replaceAll("$1****");
  }

  private static String maskUserInfo(String url) {
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return url;
    }
    int start = scheme + 3;
    int query = url.indexOf('?', start);
    // The user-info ends at the LAST '@' before the query: an unencoded '@' or '/' in a password
    // must not leave the rest of the password visible.
    int at = url.lastIndexOf('@', query < 0 ? url.length() - 1 : query - 1);
    if (at < start) {
      return url;
    }
    String userInfo = url.substring(start, at);
    int colon = userInfo.indexOf(':');
    int slash = userInfo.indexOf('/');
    if (slash >= 0 && (colon < 0 || slash < colon)) {
      return url; // the '@' is in the path (https://host/users/@me), there is no user-info
    }
    if (colon < 0) {
      return url; // a user name only, no password
    }
    return url.substring(0, start) + userInfo.substring(0, colon) + ":****" + url.substring(at);
  }
}
