package io.hookline.ingest;

import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.verify.SignatureVerifier;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** A configured source with its verifier, built once at start-up and shared by every event loop. */
public record SourceRuntime(SourceConfig config, SignatureVerifier verifier, String[] destinationIds,
                            long dedupTtlMillis, Set<String> unstoredHeaders) {
  /** Headers that can carry credentials are never stored with the event (lower-case names). */
  private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie");

  public static SourceRuntime of(SourceConfig config, SignatureVerifier verifier) {
    Set<String> unstored = new HashSet<>(CREDENTIAL_HEADERS);
    Object apiKeyHeader = config.providerOptions().get("header");
    if ("apikey".equals(config.provider()) && apiKeyHeader != null) {
      unstored.add(apiKeyHeader.toString().toLowerCase(Locale.ROOT));
    }
    return new SourceRuntime(config, verifier,
        config.destinations().stream().map(DestinationConfig::id).toArray(String[]::new),
        config.dedupTtl().toMillis(), Set.copyOf(unstored));
  }
}
