package io.hookline.verify;

import io.hookline.config.Secret;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;

/**
 * One configured public key, checked and decoded at start-up by {@link Ed25519Key} or
 * {@link EcdsaP256Key}, with its rotation window. Each thread keeps its own {@link Signature}.
 */
final class VerifyingKey {
  private final Secret secret;
  private final ThreadLocal<Signature> verifiers;

  /** @throws GeneralSecurityException when the JDK refuses the algorithm or the key */
  VerifyingKey(Secret secret, String algorithm, PublicKey key) throws GeneralSecurityException {
    newVerifier(algorithm, key);
    this.secret = secret;
    this.verifiers = ThreadLocal.withInitial(() -> {
      try {
        return newVerifier(algorithm, key);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(algorithm + " became unavailable", e);
      }
    });
  }

  private static Signature newVerifier(String algorithm, PublicKey key) throws GeneralSecurityException {
    Signature signature = Signature.getInstance(algorithm);
    signature.initVerify(key);
    return signature;
  }

  boolean activeAt(long epochMillis) {
    return secret.activeAt(epochMillis);
  }

  /** Whether {@code signatureBytes} signs the concatenation of {@code parts}; false on any failure. */
  boolean verify(byte[] signatureBytes, byte[]... parts) {
    Signature signature = verifiers.get();
    try {
      for (byte[] part : parts) {
        signature.update(part);
      }
      return signature.verify(signatureBytes);
    } catch (SignatureException | RuntimeException e) {
      // A failed verify can leave data buffered: start this thread over with a clean verifier.
      verifiers.remove();
      return false;
    }
  }

  /** Whether any key active at {@code now} verifies {@code signatureBytes} over {@code parts}. */
  static boolean any(VerifyingKey[] keys, long now, byte[] signatureBytes, byte[]... parts) {
    for (VerifyingKey key : keys) {
      if (key.activeAt(now) && key.verify(signatureBytes, parts)) {
        return true;
      }
    }
    return false;
  }
}
