package io.hookline.management.admin;

import io.hookline.store.EventSearch.Position;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/** The event list's opaque cursor: base64url of the last event's receive time (µs) and id. */
final class Cursors {
  private static final String VERSION = "v1";

  private Cursors() {}

  static String encode(Position p) {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, p.receivedAt().toInstant());
    String plain = VERSION + ":" + micros + ":" + p.id();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
  }

  static Position decode(String cursor) {
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII).split(":");
      if (parts.length == 3 && parts[0].equals(VERSION)) {
        Instant at = Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS);
        return new Position(OffsetDateTime.ofInstant(at, ZoneOffset.UTC), Params.uuid("cursor", parts[2]));
      }
    } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException ignored) {
      // reported below
    }
    throw AdminFailure.badParameter("cursor", "cursor is not a nextCursor this API returned");
  }
}
