package io.hookline.ingest;

import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.verify.CredentialValue;
import io.hookline.verify.SignatureVerifier;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A configured source with its verifier, built once at start-up and shared by every event loop.
 * {@code credentialValues}: the masked header values its current secrets make (apikey, basic, gitlab;
 * empty otherwise), which a refused request's fingerprinted credential is matched against on retry;
 * {@code fingerprinted}: the names of those headers (a refused request's values of them are fingerprinted).
 */
public record SourceRuntime(SourceConfig config, SignatureVerifier verifier, String[] destinationIds,
                            long dedupTtlMillis, Set<String> unstoredHeaders, List<CredentialValue> credentialValues,
                            Set<String> fingerprinted) {
  /** Headers that can carry credentials are never stored with the event. */
  private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie");

  public static SourceRuntime of(SourceConfig config, SignatureVerifier verifier) {
    return of(config, verifier, List.of());
  }

  /** {@code credentialValues} may list any header the sender sets; only the masked ones are kept. */
  public static SourceRuntime of(SourceConfig config, SignatureVerifier verifier, List<CredentialValue> credentialValues) {
    // Case-insensitive, so the hot path looks names up without lower-casing each one.
    Set<String> unstored = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    unstored.addAll(CREDENTIAL_HEADERS);
    unstored.addAll(verifier.credentialHeaders());
    List<CredentialValue> masked = credentialValues.stream().filter(c -> unstored.contains(c.header())).toList();
    Set<String> fingerprinted = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    masked.forEach(c -> fingerprinted.add(c.header()));
    return new SourceRuntime(config, verifier,
        config.destinations().stream().map(DestinationConfig::id).toArray(String[]::new),
        config.dedupTtl().toMillis(), Collections.unmodifiableSet(unstored), masked,
        Collections.unmodifiableSet(fingerprinted));
  }
}
