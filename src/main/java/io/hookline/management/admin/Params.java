package io.hookline.management.admin;

import io.hookline.config.ConfigLoader;
import io.hookline.store.DeliveryStatus;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads admin API query parameters. Types, ranges and allowed values are checked by the contract
 * ({@code openapi/admin-api.yaml}) before a handler runs; what it cannot say is checked here: no
 * unknown or repeated parameter, and times (an instant or a duration back from now). Anything
 * wrong is a 400 {@code bad_parameter} naming it.
 */
final class Params {
  static final List<String> STATUSES = Arrays.stream(DeliveryStatus.values()).map(DeliveryStatus::value).toList();
  private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final MultiMap query;

  Params(MultiMap query, Set<String> allowed) {
    this.query = query;
    for (String name : query.names()) {
      if (!allowed.contains(name)) {
        throw AdminFailure.badParameter(name, "unknown parameter '" + name + "' (allowed: "
            + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
      }
      if (query.getAll(name).size() > 1) {
        throw AdminFailure.badParameter(name, "parameter '" + name + "' given more than once");
      }
    }
  }

  /** The value, or null when absent or empty. */
  String string(String name) {
    String v = query.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** Comma-separated statuses (each checked by the contract), without repeats; null when absent. */
  List<String> statuses(String name) {
    String v = string(name);
    return v == null ? null : List.of(v.split(",", -1)).stream().distinct().toList();
  }

  /** An ISO-8601 instant, or (when {@code relative}) a duration back from now such as 24h. */
  static OffsetDateTime time(String name, String v, boolean relative) {
    if (v == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v).withOffsetSameInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException notIso) {
      if (relative) {
        try {
          Duration back = ConfigLoader.parseDuration(v);
          if (!back.isNegative() && !back.isZero()) {
            return OffsetDateTime.ofInstant(Instant.now().minus(back), ZoneOffset.UTC);
          }
        } catch (IllegalArgumentException ignored) {
          // reported below
        }
      }
    }
    throw AdminFailure.badParameter(name, name + " must be an ISO-8601 instant like 2026-12-01T10:00:00Z"
        + (relative ? " or a duration back from now like 30m, 24h, 7d" : "") + ", got '" + v + "'");
  }

  OffsetDateTime time(String name, boolean relative) {
    return time(name, string(name), relative);
  }

  static UUID uuid(String name, String v) {
    if (v == null || !UUID_TEXT.matcher(v).matches()) {
      throw AdminFailure.badParameter(name, name + " must be a Hookline event id (a UUID), got '" + v + "'");
    }
    return UUID.fromString(v);
  }
}
