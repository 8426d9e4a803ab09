package io.hookline.ingest;

import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.verify.SignatureVerifier;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** A configured source with its verifier, built once at start-up and shared by every event loop. */
public record SourceRuntime(SourceConfig config, SignatureVerifier verifier, String[] destinationIds,
                            long dedupTtlMillis, Set<String> unstoredHeaders) {
  /** Headers that can carry credentials are never stored with the event. */
  private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie");

  public static SourceRuntime of(SourceConfig config, SignatureVerifier verifier) {
    // Case-insensitive, so the hot path looks names up without lower-casing each one.
    Set<String> unstored = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    unstored.addAll(CREDENTIAL_HEADERS);
    unstored.addAll(verifier.credentialHeaders());
    return new SourceRuntime(config, verifier,
        config.destinations().stream().map(DestinationConfig::id).toArray(String[]::new),
        config.dedupTtl().toMillis(), Collections.unmodifiableSet(unstored));
  }
}
