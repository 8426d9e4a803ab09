package io.hookline.verify;

import java.security.MessageDigest;
import javax.crypto.Mac;

/**
 * "Does any secret active at the request's time sign this content to the signature sent?", for
 * every HMAC scheme. Each comparison is constant-time ({@link MessageDigest#isEqual}); a rotated-out
 * secret (past its {@code notAfter}) is skipped.
 */
public final class KeyMatch {
  private KeyMatch() {}

  /** Feeds a scheme's signed content into a {@link Mac} holding one key. */
  @FunctionalInterface
  public interface SignedContent {
    void feed(Mac mac);
  }

  public static boolean any(HmacKey[] keys, long now, SignedContent content, byte[] provided) {
    for (HmacKey key : keys) {
      if (key.activeAt(now)) {
        Mac mac = key.mac();
        content.feed(mac);
        if (MessageDigest.isEqual(mac.doFinal(), provided)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Against the first {@code count} of several signatures (one header may carry one per secret): all are compared. */
  public static boolean any(HmacKey[] keys, long now, SignedContent content, byte[][] candidates, int count) {
    for (HmacKey key : keys) {
      if (key.activeAt(now)) {
        Mac mac = key.mac();
        content.feed(mac);
        byte[] expected = mac.doFinal();
        boolean matched = false;
        for (int i = 0; i < count; i++) {
          matched |= MessageDigest.isEqual(expected, candidates[i]);
        }
        if (matched) {
          return true;
        }
      }
    }
    return false;
  }
}
