package io.hookline.verify;

import io.hookline.config.Secret;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;

/**
 * One configured ECDSA P-256 public key (SendGrid's signed event webhook): DER SubjectPublicKeyInfo,
 * decoded up front so that a key of another curve or a truncated key stops start-up. Each thread
 * keeps its own {@code SHA256withECDSA} verifier.
 */
final class EcdsaP256Key {
  private static final java.math.BigInteger P256_ORDER = new java.math.BigInteger(
      "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);

  private final Secret secret;
  private final ThreadLocal<Signature> verifiers;

  /** @throws IllegalArgumentException when the bytes are not a P-256 public key */
  EcdsaP256Key(Secret secret, byte[] der) {
    ECPublicKey key;
    try {
      if (!(KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der)) instanceof ECPublicKey ec)) {
        throw new IllegalArgumentException("not an EC public key");
      }
      key = ec;
      newVerifier(key);
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("not a DER (SubjectPublicKeyInfo) EC public key");
    }
    ECParameterSpec params = key.getParams();
    if (params.getCurve().getField().getFieldSize() != 256 || !params.getOrder().equals(P256_ORDER)) {
      throw new IllegalArgumentException("the key is not on the P-256 (prime256v1) curve");
    }
    this.secret = secret;
    ECPublicKey publicKey = key;
    this.verifiers = ThreadLocal.withInitial(() -> {
      try {
        return newVerifier(publicKey);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("SHA256withECDSA became unavailable", e);
      }
    });
  }

  private static Signature newVerifier(ECPublicKey key) throws GeneralSecurityException {
    Signature signature = Signature.getInstance("SHA256withECDSA");
    signature.initVerify(key);
    return signature;
  }

  boolean activeAt(long epochMillis) {
    return secret.activeAt(epochMillis);
  }

  /** Verifies a DER signature over {@code prefix || body}; false on any failure. */
  boolean verify(byte[] prefix, byte[] body, byte[] derSignature) {
    Signature signature = verifiers.get();
    try {
      signature.update(prefix);
      signature.update(body);
      return signature.verify(derSignature);
    } catch (SignatureException | RuntimeException e) {
      // A failed verify can leave data buffered: start this thread over with a clean verifier.
      verifiers.remove();
      return false;
    }
  }
}
