package io.hookline.delivery;

/** Event-bus addresses between the ingest verticles and the delivery workers. */
public final class DeliveryAddresses {
  /**
   * Body: the committed event's id (UUID string), sent when its deliveries were committed unleased
   * (the hand-off was full): a hint to claim soon. PostgreSQL stays the source of truth.
   */
  public static final String EVENT_COMMITTED = "hookline.delivery.event-committed";

  private DeliveryAddresses() {}
}
