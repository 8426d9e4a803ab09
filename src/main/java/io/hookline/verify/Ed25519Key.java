package io.hookline.verify;

import io.hookline.config.Secret;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;

/**
 * Decodes a configured Ed25519 public key (Standard Webhooks {@code v1a}, Discord). The JDK only
 * checks a public key when it first verifies with it, so the point is decoded here up front: a key
 * that is not on the curve is a configuration error, not a stream of 401s.
 */
final class Ed25519Key {
  static final int KEY_BYTES = 32;
  static final int SIGNATURE_BYTES = 64;

  /** DER SubjectPublicKeyInfo header for Ed25519 (RFC 8410); the raw key follows it. */
  private static final byte[] X509_PREFIX = {
      0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
  private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
  private static final BigInteger D = BigInteger.valueOf(-121665)
      .multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);

  private Ed25519Key() {}

  /** @throws IllegalArgumentException when the bytes are not a valid Ed25519 public key */
  static VerifyingKey parse(Secret secret, byte[] raw) {
    if (raw.length != KEY_BYTES) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, got " + raw.length);
    }
    if (!onCurve(raw)) {
      throw new IllegalArgumentException("not a point on the Ed25519 curve");
    }
    byte[] encoded = new byte[X509_PREFIX.length + KEY_BYTES];
    System.arraycopy(X509_PREFIX, 0, encoded, 0, X509_PREFIX.length);
    System.arraycopy(raw, 0, encoded, X509_PREFIX.length, KEY_BYTES);
    try {
      return new VerifyingKey(secret, "Ed25519", KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the JDK refuses this Ed25519 public key", e);
    }
  }

  /** RFC 8032 5.1.3 decoding: y below p and (y^2 - 1) / (d y^2 + 1) a square (zero only with x even). */
  static boolean onCurve(byte[] raw) {
    byte[] bigEndian = new byte[KEY_BYTES];
    for (int i = 0; i < KEY_BYTES; i++) {
      bigEndian[i] = raw[KEY_BYTES - 1 - i];
    }
    boolean xOdd = (bigEndian[0] & 0x80) != 0;
    bigEndian[0] &= 0x7f;
    BigInteger y = new BigInteger(1, bigEndian);
    if (y.compareTo(P) >= 0) {
      return false;
    }
    BigInteger y2 = y.multiply(y).mod(P);
    BigInteger u = y2.subtract(BigInteger.ONE).mod(P);
    BigInteger v = D.multiply(y2).add(BigInteger.ONE).mod(P);
    BigInteger x2 = u.multiply(v.modInverse(P)).mod(P);
    if (x2.signum() == 0) {
      return !xOdd;
    }
    return x2.modPow(P.subtract(BigInteger.ONE).shiftRight(1), P).equals(BigInteger.ONE);
  }
}
