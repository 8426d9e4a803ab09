package io.hookline.verify;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The private keys {@code send} signs with for the asymmetric providers (Discord Ed25519, SendGrid
 * ECDSA P-256), whose sources hold only the public key: a PKCS#8 PEM ({@code -----BEGIN PRIVATE
 * KEY-----}, what {@code openssl genpkey} writes) or, for Ed25519, the 32-byte seed as 64 hex
 * characters or a Standard Webhooks secret key {@code whsk_<base64>} (the seed, or seed and public
 * key as libsodium keeps them). Errors say what is wrong, never show the key.
 */
public final class SigningKeys {
  /** PKCS#8 prefix of an Ed25519 private key (RFC 8410): the 32-byte seed follows. */
  private static final byte[] ED25519_PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");
  /** A Standard Webhooks Ed25519 secret key ({@code whpk_} is its public half). */
  public static final String STANDARD_SECRET_KEY_PREFIX = "whsk_";

  private SigningKeys() {}

  /** @throws IllegalArgumentException saying what the text is not (never quoting it) */
  public static PrivateKey parse(String text) {
    String trimmed = text.strip();
    if (trimmed.matches("[0-9a-fA-F]{64}")) {
      return ed25519FromSeed(HexFormat.of().parseHex(trimmed.toLowerCase(Locale.ROOT)));
    }
    if (trimmed.startsWith(STANDARD_SECRET_KEY_PREFIX)) {
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(trimmed.substring(STANDARD_SECRET_KEY_PREFIX.length()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("the private key is not valid base64 after 'whsk_'");
      }
      if (raw.length != 32 && raw.length != 64) {
        throw new IllegalArgumentException("a 'whsk_' key must hold 32 bytes (Ed25519 seed) or 64 (seed and public key), got "
            + raw.length);
      }
      return ed25519FromSeed(java.util.Arrays.copyOf(raw, 32));
    }
    if (trimmed.contains("-----BEGIN EC PRIVATE KEY-----") || trimmed.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      throw new IllegalArgumentException("the private key must be an unencrypted PKCS#8 PEM (BEGIN PRIVATE KEY);"
          + " convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY");
    }
    String begin = "-----BEGIN PRIVATE KEY-----";
    String end = "-----END PRIVATE KEY-----";
    int from = trimmed.indexOf(begin);
    int to = trimmed.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("the private key is neither a PKCS#8 PEM (BEGIN PRIVATE KEY), a 64-hex Ed25519 seed"
          + " nor a Standard Webhooks 'whsk_' key");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(trimmed.substring(from + begin.length(), to));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the private key's PEM body is not valid base64");
    }
    for (String algorithm : new String[] {"Ed25519", "EC"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException | IllegalArgumentException notThisOne) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException("the private key is a PKCS#8 PEM but neither an Ed25519 nor an EC key");
  }

  private static PrivateKey ed25519FromSeed(byte[] seed) {
    byte[] der = new byte[ED25519_PKCS8_PREFIX.length + seed.length];
    System.arraycopy(ED25519_PKCS8_PREFIX, 0, der, 0, ED25519_PKCS8_PREFIX.length);
    System.arraycopy(seed, 0, der, ED25519_PKCS8_PREFIX.length, seed.length);
    return decode("Ed25519", der);
  }

  private static PrivateKey decode(String algorithm, byte[] pkcs8) {
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the private key cannot be read as " + algorithm);
    }
  }

  /** The key as an Ed25519 signing key. @throws IllegalArgumentException naming the provider when it is none */
  public static PrivateKey ed25519(PrivateKey key, String provider) {
    if (key == null) {
      throw new IllegalArgumentException(provider + " signs with the application's Ed25519 private key, and the source holds"
          + " only the public key: give send the private key with --private-key FILE (PKCS#8 PEM, 64-hex seed or Standard Webhooks 'whsk_' key)");
    }
    if (!(key instanceof EdECPrivateKey ed) || !"Ed25519".equals(ed.getParams().getName())) {
      throw new IllegalArgumentException(provider + " needs an Ed25519 private key; --private-key is another kind of key");
    }
    return key;
  }

  /** The key as a P-256 ECDSA signing key. @throws IllegalArgumentException naming the provider when it is none */
  public static PrivateKey p256(PrivateKey key, String provider) {
    if (key == null) {
      throw new IllegalArgumentException(provider + " signs with its ECDSA P-256 private key, and the source holds only the"
          + " public key: give send the private key with --private-key FILE (PKCS#8 PEM)");
    }
    if (!(key instanceof ECPrivateKey ec) || !isP256(ec.getParams())) {
      throw new IllegalArgumentException(provider + " needs an ECDSA P-256 private key; --private-key is another kind of key");
    }
    return key;
  }

  private static boolean isP256(ECParameterSpec params) {
    try {
      AlgorithmParameters p256 = AlgorithmParameters.getInstance("EC");
      p256.init(new ECGenParameterSpec("secp256r1"));
      ECParameterSpec spec = p256.getParameterSpec(ECParameterSpec.class);
      return spec.getCurve().equals(params.getCurve()) && spec.getGenerator().equals(params.getGenerator())
          && spec.getOrder().equals(params.getOrder());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 is part of every JDK", e);
    }
  }

  /** A fresh key pair: {@code Ed25519}, or {@code EC} on P-256. */
  public static KeyPair generate(String algorithm, SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      generator.initialize(algorithm.equals("EC") ? new ECGenParameterSpec("secp256r1") : NamedParameterSpec.ED25519, random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is part of every JDK 17", e);
    }
  }

  /** {@code algorithm} (e.g. {@code Ed25519}, {@code SHA256withECDSA}) over the concatenated parts. */
  public static byte[] sign(String algorithm, PrivateKey key, byte[]... parts) {
    try {
      java.security.Signature signature = java.security.Signature.getInstance(algorithm);
      signature.initSign(key);
      for (byte[] part : parts) {
        signature.update(part);
      }
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot sign with " + algorithm + ": " + e.getClass().getSimpleName());
    }
  }
}
