package io.hookline.verify;

import io.hookline.config.ConfigException;
import io.hookline.config.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link Provider.VerifierFactory} gets for one source: its secrets (at least one, none
 * empty: checked before), its provider options (read strictly), its replay window and the config
 * path every error names ({@code sources[2]}), with the key helpers the HMAC schemes share.
 */
public final class ProviderSetup {
  private final String path;
  private final List<Secret> secrets;
  private final ProviderOptions options;
  private final long toleranceMillis;

  public ProviderSetup(String path, List<Secret> secrets, ProviderOptions options, long toleranceMillis) {
    this.path = path;
    this.secrets = secrets;
    this.options = options;
    this.toleranceMillis = toleranceMillis;
  }

  /** The source's config path, e.g. {@code sources[2]}. */
  public String path() { return path; }
  public List<Secret> secrets() { return secrets; }
  /** The provider's own YAML block ({@code <provider>: {...}}); call {@code allowOnly} first. */
  public ProviderOptions options() { return options; }
  public long toleranceMillis() { return toleranceMillis; }

  /** The config path of secret {@code index}, e.g. {@code sources[2].secrets[0]}. */
  public String secretPath(int index) {
    return path + ".secrets[" + index + "]";
  }

  /** A configuration error about secret {@code index} (the message must not contain the secret). */
  public ConfigException secretError(int index, String problem) {
    return new ConfigException(secretPath(index), problem);
  }

  /** Secrets used as-is (their UTF-8 bytes are the key), for a provider that takes no options. */
  public List<HmacKey> rawHmacKeys(String jcaAlgorithm) {
    List<HmacKey> keys = new ArrayList<>(secrets.size());
    for (int i = 0; i < secrets.size(); i++) {
      keys.add(hmacKey(i, jcaAlgorithm, secrets.get(i).value().getBytes(StandardCharsets.UTF_8)));
    }
    return keys;
  }

  /** Secret {@code index} with key bytes a scheme decoded from it. */
  public HmacKey hmacKey(int index, String jcaAlgorithm, byte[] key) {
    try {
      return new HmacKey(secrets.get(index), jcaAlgorithm, key);
    } catch (IllegalArgumentException e) {
      throw secretError(index, "cannot be used as an " + jcaAlgorithm + " key");
    }
  }
}
