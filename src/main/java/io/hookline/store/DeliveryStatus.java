package io.hookline.store;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code deliveries.status} holds. {@link #value()} is the stored text; SQL names a status only
 * through {@link #sql()}, so the Java and the statements cannot drift apart.
 */
public enum DeliveryStatus {
  /** Due now, later (a retry) or leased to a worker. */
  PENDING,
  /** The destination answered 2xx. */
  DELIVERED,
  /** The last allowed attempt failed: a dead letter, kept for replay. */
  DEAD,
  /** The destination answered 410: it will never want this event. */
  GONE;

  /** The statuses a delivery stops in; a replay starts a new round from one of them. */
  public static final Set<DeliveryStatus> FINISHED = EnumSet.of(DELIVERED, DEAD, GONE);

  /** The statuses a delivery stops in undelivered: the ones {@code deliveries.failed_at} is set for (migration 15). */
  public static final Set<DeliveryStatus> FAILED = EnumSet.of(DEAD, GONE);

  /** SQL that is the new {@code failed_at} of a delivery whose new status is the text expression {@code status}. */
  public static String failedAtSql(String status) {
    return "CASE WHEN " + status + " IN (" + FAILED.stream().map(DeliveryStatus::sql).collect(Collectors.joining(", "))
        + ") THEN now() END";
  }

  private final String value = name().toLowerCase(Locale.ROOT);

  /** The text stored in {@code deliveries.status} and shown by the admin API and CLI. */
  public String value() {
    return value;
  }

  /** The status as a SQL string literal, e.g. {@code 'pending'}. */
  public String sql() {
    return "'" + value + "'";
  }

  public boolean is(String stored) {
    return value.equals(stored);
  }

  /** The status stored as {@code value}; an unknown one is an IllegalArgumentException naming the allowed ones. */
  public static DeliveryStatus of(String value) {
    for (DeliveryStatus s : values()) {
      if (s.value.equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown delivery status '" + value + "' (expected "
        + Arrays.stream(values()).map(DeliveryStatus::value).collect(Collectors.joining(", ")) + ")");
  }

  /** The stored texts of {@code statuses}, for a {@code status = ANY($n::text[])} parameter. */
  public static String[] values(Iterable<DeliveryStatus> statuses) {
    java.util.List<String> out = new java.util.ArrayList<>();
    statuses.forEach(s -> out.add(s.value));
    return out.toArray(String[]::new);
  }
}
