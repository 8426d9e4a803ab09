package io.hookline.verify;

import io.hookline.config.Secret;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;

/**
 * Decodes a configured ECDSA P-256 public key (SendGrid's signed event webhook): DER
 * SubjectPublicKeyInfo, checked up front so that a key of another curve, a truncated key or another
 * spelling of one stops start-up.
 */
final class EcdsaP256Key {
  private static final java.math.BigInteger P256_ORDER = new java.math.BigInteger(
      "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);

  private EcdsaP256Key() {}

  /** @throws IllegalArgumentException when the bytes are not a P-256 public key */
  static VerifyingKey parse(Secret secret, byte[] der) {
    ECPublicKey key;
    VerifyingKey verifying;
    try {
      if (!(KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der)) instanceof ECPublicKey ec)) {
        throw new IllegalArgumentException("not an EC public key");
      }
      key = ec;
      verifying = new VerifyingKey(secret, "SHA256withECDSA", key);
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("not a DER (SubjectPublicKeyInfo) EC public key");
    }
    ECParameterSpec params = key.getParams();
    if (params.getCurve().getField().getFieldSize() != 256 || !params.getOrder().equals(P256_ORDER)) {
      throw new IllegalArgumentException("the key is not on the P-256 (prime256v1) curve");
    }
    // The JDK's parser tolerates non-canonical DER (a BIT STRING's unused-bits count): one key, one spelling.
    if (!java.util.Arrays.equals(canonical(key), der)) {
      throw new IllegalArgumentException("not the canonical DER encoding of a named-curve P-256 key with an uncompressed point");
    }
    if (!onCurve(key)) {
      throw new IllegalArgumentException("the point is not on the P-256 curve");
    }
    return verifying;
  }

  /** SubjectPublicKeyInfo of id-ecPublicKey / prime256v1, BIT STRING with no unused bits, then 04 || X || Y. */
  private static final byte[] SPKI_PREFIX = java.util.HexFormat.of().parseHex("3059301306072a8648ce3d020106082a8648ce3d03010703420004");

  private static byte[] canonical(ECPublicKey key) {
    byte[] out = java.util.Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + 64);
    if (!fixed32(key.getW().getAffineX(), out, SPKI_PREFIX.length) || !fixed32(key.getW().getAffineY(), out, SPKI_PREFIX.length + 32)) {
      return new byte[0];
    }
    return out;
  }

  private static boolean fixed32(java.math.BigInteger value, byte[] out, int at) {
    byte[] bytes = value.toByteArray();
    int from = bytes.length > 32 && bytes[0] == 0 ? 1 : 0;
    int length = bytes.length - from;
    if (value.signum() < 0 || length > 32) {
      return false;
    }
    System.arraycopy(bytes, from, out, at + 32 - length, length);
    return true;
  }

  /** y^2 = x^3 + ax + b (mod p): the JDK does not check this when it decodes a key. */
  private static boolean onCurve(ECPublicKey key) {
    java.security.spec.EllipticCurve curve = key.getParams().getCurve();
    java.math.BigInteger p = ((java.security.spec.ECFieldFp) curve.getField()).getP();
    java.math.BigInteger x = key.getW().getAffineX();
    java.math.BigInteger y = key.getW().getAffineY();
    if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
      return false;
    }
    java.math.BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
    return y.modPow(java.math.BigInteger.TWO, p).equals(right);
  }
}
