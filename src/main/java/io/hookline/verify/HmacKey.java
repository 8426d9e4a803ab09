package io.hookline.verify;

import io.hookline.config.Secret;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One configured HMAC secret. {@code Mac.getInstance} + {@code init} per request costs more than
 * hashing a small body, so each thread keeps its own initialised {@link Mac} for this key.
 */
public final class HmacKey {
  private final Secret secret;
  private final ThreadLocal<Mac> macs;
  private final int length;

  /** @throws IllegalArgumentException when the JDK refuses the algorithm or the key (e.g. empty) */
  public HmacKey(Secret secret, String jcaAlgorithm, byte[] keyBytes) {
    this.secret = secret;
    SecretKeySpec key;
    try {
      key = new SecretKeySpec(keyBytes, jcaAlgorithm);
      this.length = newMac(jcaAlgorithm, key).getMacLength();
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot initialise " + jcaAlgorithm + " with this key", e);
    }
    this.macs = ThreadLocal.withInitial(() -> {
      try {
        return newMac(jcaAlgorithm, key);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(jcaAlgorithm + " became unavailable", e);
      }
    });
  }

  private static Mac newMac(String algorithm, SecretKeySpec key) throws GeneralSecurityException {
    Mac mac = Mac.getInstance(algorithm);
    mac.init(key);
    return mac;
  }

  public boolean activeAt(long epochMillis) {
    return secret.activeAt(epochMillis);
  }

  public int macLength() {
    return length;
  }

  /** This thread's Mac, reset in case an earlier use was abandoned half-way. */
  public Mac mac() {
    Mac mac = macs.get();
    mac.reset();
    return mac;
  }
}
