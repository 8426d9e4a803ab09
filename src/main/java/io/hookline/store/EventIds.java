package io.hookline.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Hookline event ids (time-ordered UUIDv7, so the primary key index stays append-mostly). */
public final class EventIds {
  private static final int MAX_PROVIDER_ID_LENGTH = 256;
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  private EventIds() {}

  public static UUID newId() {
    long millis = System.currentTimeMillis();
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (millis << 16) | 0x7000L | (r.nextLong() & 0x0FFFL);
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  /** The provider id used as dedup key: as given, or hashed when absent or too long to index. */
  public static String dedupKey(String providerEventId, byte[] body) {
    if (providerEventId == null || providerEventId.isEmpty()) {
      return "sha256:" + sha256Hex(body);
    }
    if (providerEventId.length() > MAX_PROVIDER_ID_LENGTH) {
      return "sha256:" + sha256Hex(providerEventId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return providerEventId;
  }

  public static String sha256Hex(byte[] bytes) {
    MessageDigest md = SHA256.get();
    md.reset();
    return HexFormat.of().formatHex(md.digest(bytes));
  }
}
