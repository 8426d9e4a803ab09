package io.hookline.verify;

import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.config.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything a verifier factory needs for one source. {@code options} is the provider-specific
 * block of the source's YAML (the key named after the provider, e.g. {@code hmac: {...}}), empty
 * when absent; {@code path} (e.g. {@code sources[2]}) prefixes every config error.
 */
public record VerifierSpec(String sourceId, String provider, List<Secret> secrets,
                           Duration tolerance, Map<String, Object> options, String path) {
  public static VerifierSpec of(SourceConfig s) {
    return new VerifierSpec(s.id(), s.provider(), s.secrets(), s.tolerance(), s.providerOptions(), s.path());
  }
}
