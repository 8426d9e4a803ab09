package io.hookline.store;

/**
 * Test set-up that changes deliveries by hand (a status, a due time) instead of through a worker: after it,
 * {@link #sync} puts {@code failed_at} and {@code delivery_queue} where the store's writers would have
 * (migration 15: a delivery is queued exactly while pending, with its due time; failed_at is set while dead or gone).
 */
public final class DeliveriesByHand {
  private DeliveriesByHand() {}

  /** One statement for {@code schema} (a name, or the Harness's {@code {schema}}). */
  public static String sync(String schema) {
    String s = schema + ".";
    String failed = "(" + DeliveryStatus.FAILED.stream().map(DeliveryStatus::sql)
        .collect(java.util.stream.Collectors.joining(", ")) + ")";
    String pending = DeliveryStatus.PENDING.sql();
    return "WITH setf AS (UPDATE " + s + "deliveries SET failed_at = updated_at WHERE status IN " + failed
        + " AND failed_at IS NULL), "
        + "clearf AS (UPDATE " + s + "deliveries SET failed_at = NULL WHERE status NOT IN " + failed
        + " AND failed_at IS NOT NULL), "
        + "unqueue AS (DELETE FROM " + s + "delivery_queue q WHERE NOT EXISTS (SELECT 1 FROM " + s + "deliveries d "
        + "WHERE d.event_id = q.event_id AND d.destination_id = q.destination_id AND d.status = " + pending + ")) "
        + "INSERT INTO " + s + "delivery_queue (event_id, destination_id, source_id, next_attempt_at) "
        + "SELECT event_id, destination_id, source_id, next_attempt_at FROM " + s + "deliveries WHERE status = " + pending
        + " ON CONFLICT (event_id, destination_id) DO UPDATE SET next_attempt_at = EXCLUDED.next_attempt_at";
  }
}
