package io.hookline.requests;

import io.hookline.store.RequestLogStore.Fingerprints;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted, slow, one-way fingerprints of a refused request's masked credential header values (the
 * requests log stores these, never the values): PBKDF2-HMAC-SHA256, a fresh random 16-byte salt per
 * request, {@link #ITERATIONS} iterations. A retry fingerprints the value each current secret makes
 * with the stored salt and compares in constant time. Each call costs milliseconds of CPU: never on an
 * event loop.
 */
public final class CredentialFingerprints {
  static final String ALGORITHM = "PBKDF2WithHmacSHA256";
  /** ~3.4-3.9 ms per fingerprint on this 2-vCPU machine (JDK 17, docs/requests-log.md says how it was measured). */
  public static final int ITERATIONS = 10_000;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  /** Prefixed to every value: these hashes are of nothing but a Hookline credential header value. */
  private static final String DOMAIN = "hookline-credential:";
  /** At most this many values per request are fingerprinted (a header repeated more is refused anyway). */
  static final int MAX_VALUES = 2;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A masked header value of a refused request, held in memory only until it is fingerprinted. Never printed. */
  public record Masked(int index, String name, String value) {
    @Override
    public String toString() {
      return "Masked(" + index + ", " + name + ": ***)";
    }
  }

  /** A header value a current secret makes, matched at {@code index} of the stored headers. */
  public record Match(int index, String value) {
    @Override
    public String toString() {
      return "Match(" + index + ", ***)";
    }
  }

  private CredentialFingerprints() {}

  /** The fingerprints of these values under one fresh salt, or null when there are none. Blocking (ms each). */
  public static Fingerprints of(List<Masked> values) {
    if (values == null || values.isEmpty()) {
      return null;
    }
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    JsonArray headers = new JsonArray();
    for (int i = 0; i < Math.min(values.size(), MAX_VALUES); i++) {
      Masked m = values.get(i);
      headers.add(new JsonObject().put("index", m.index()).put("name", m.name())
          .put("hash", Base64.getEncoder().encodeToString(hash(m.value(), salt, ITERATIONS))));
    }
    return new Fingerprints(new JsonObject().put("algorithm", ALGORITHM).put("iterations", ITERATIONS)
        .put("salt", Base64.getEncoder().encodeToString(salt)).put("headers", headers).encode());
  }

  /**
   * For each fingerprinted header, the first candidate of the same header name whose fingerprint under
   * the stored salt equals the stored one (constant-time compare). Blocking: one PBKDF2 per candidate
   * tried. An unreadable or foreign fingerprint matches nothing.
   */
  public static List<Match> match(String fingerprintsJson, List<Candidate> candidates) {
    List<Match> out = new ArrayList<>();
    try {
      JsonObject f = new JsonObject(fingerprintsJson);
      Integer iterations = f.getInteger("iterations");
      if (!ALGORITHM.equals(f.getString("algorithm")) || iterations == null || iterations < 1
          || iterations > 10 * ITERATIONS) {
        return out;
      }
      byte[] salt = Base64.getDecoder().decode(f.getString("salt", ""));
      JsonArray headers = f.getJsonArray("headers", new JsonArray());
      for (int i = 0; i < headers.size(); i++) {
        JsonObject h = headers.getJsonObject(i);
        byte[] stored = Base64.getDecoder().decode(h.getString("hash", ""));
        for (Candidate c : candidates) {
          if (c.header().equalsIgnoreCase(h.getString("name", ""))
              && MessageDigest.isEqual(stored, hash(c.value(), salt, iterations))) {
            out.add(new Match(h.getInteger("index"), c.value()));
            break;
          }
        }
      }
    } catch (RuntimeException unreadable) {
      // matched what it could; the caller verifies whatever it returns anyway
    }
    return out;
  }

  /** A header name and the value a current secret makes for it. Never printed. */
  public record Candidate(String header, String value) {
    @Override
    public String toString() {
      return "Candidate(" + header + ": ***)";
    }
  }

  static byte[] hash(String value, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec((DOMAIN + value).toCharArray(), salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " is part of every JDK", e);
    } finally {
      spec.clearPassword();
    }
  }
}
