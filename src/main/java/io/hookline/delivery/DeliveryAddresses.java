package io.hookline.delivery;

/** Event-bus addresses between the ingest verticles and the delivery workers. */
public final class DeliveryAddresses {
  /**
   * Body: the committed event's id (UUID string), sent when its deliveries were committed unleased
   * (the hand-off was full): a hint to claim soon. PostgreSQL stays the source of truth.
   */
  public static final String EVENT_COMMITTED = "hookline.delivery.event-committed";

  /** Body ignored: a destination was paused or resumed on this node; its workers re-read the states now. */
  public static final String DESTINATION_STATE_CHANGED = "hookline.delivery.destination-state-changed";

  private DeliveryAddresses() {}
}
