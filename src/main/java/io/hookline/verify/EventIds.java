package io.hookline.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Event ids, in one place: Hookline's own (time-ordered UUIDv7, so the primary key index stays
 * append-mostly) and the rule that turns a provider's event id into the dedup key (SPEC, "Event ids
 * as keys"): the id as sent; over {@value #MAX_KEY_CHARS} characters, the SHA-256 of the id itself;
 * no id at all, the SHA-256 of the body; an id with control characters or a lone surrogate is refused
 * ({@link Reason#MALFORMED_EVENT_ID}).
 */
public final class EventIds {
  /** Longer provider ids are hashed: they are stored and indexed as keys. */
  public static final int MAX_KEY_CHARS = 256;
  /** Longer event types are dropped (a type is a label, not a key). */
  static final int MAX_TYPE_CHARS = 1024;

  private static final Verification MALFORMED = Verification.rejected(Reason.MALFORMED_EVENT_ID,
      "the provider's event id contains control characters or invalid Unicode, so it cannot be used as a dedup key");
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  private EventIds() {}

  /** The last id's milliseconds and 12-bit counter: ids of one node strictly increase (RFC 9562, 6.2 method 1). */
  private static final AtomicLong LAST = new AtomicLong();

  /**
   * A UUIDv7: 48 bits of milliseconds, then a counter that starts at random below 2048 each new
   * millisecond and counts up within it, so lists ordered by (time, id) keep a node's arrival order.
   */
  public static UUID newId() {
    long millis = System.currentTimeMillis();
    long next = LAST.updateAndGet(last -> {
      long fresh = (millis << 12) | (ThreadLocalRandom.current().nextLong() & 0x7FFL);
      return fresh > last ? fresh : last + 1; // 4096 ids in one millisecond borrow the next one
    });
    long msb = ((next >>> 12) << 16) | 0x7000L | (next & 0xFFFL);
    long lsb = (ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  /**
   * A verified request's outcome: accepted with the provider's id (null or empty = the scheme sent
   * none) and type, or refused when the id is unusable as a key. Called only after the signature matched.
   */
  public static Verification accept(String providerEventId, String eventType) {
    if (providerEventId != null && !usableAsKey(providerEventId)) {
      return MALFORMED;
    }
    return Verification.accepted(providerEventId == null || providerEventId.isEmpty() ? null : providerEventId,
        cleanType(eventType));
  }

  /** The type as a label: null when absent, too long or with control characters. */
  static String cleanType(String type) {
    if (type == null || type.isEmpty() || type.length() > MAX_TYPE_CHARS || hasControl(type)) {
      return null;
    }
    return type;
  }

  /** The dedup key of an accepted event (its id already checked by {@link #accept}). */
  public static String dedupKey(String providerEventId, byte[] body) {
    if (providerEventId == null || providerEventId.isEmpty()) {
      return "sha256:" + sha256Hex(body);
    }
    if (providerEventId.length() > MAX_KEY_CHARS) {
      return "sha256:" + sha256Hex(providerEventId.getBytes(StandardCharsets.UTF_8));
    }
    return providerEventId;
  }

  public static String sha256Hex(byte[] bytes) {
    MessageDigest md = SHA256.get();
    md.reset();
    return HexFormat.of().formatHex(md.digest(bytes));
  }

  /**
   * No control characters (PostgreSQL text cannot hold NUL) and well-formed UTF-16 (a lone surrogate
   * is stored as '?', which would make different ids equal).
   */
  static boolean usableAsKey(String id) {
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (Character.isISOControl(c) || Character.isLowSurrogate(c)) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= id.length() || !Character.isLowSurrogate(id.charAt(i + 1))) {
          return false;
        }
        i++;
      }
    }
    return true;
  }

  private static boolean hasControl(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        return true;
      }
    }
    return false;
  }
}
