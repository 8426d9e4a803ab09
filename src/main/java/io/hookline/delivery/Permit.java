package io.hookline.delivery;

/**
 * One attempt's share of the node's in-flight permits: one node-wide and one of its destination.
 * Reserved by {@link ClaimLoop} before the attempt starts; given back exactly once by
 * {@link #release}, which is idempotent, so no path can free it twice or forget half of it.
 */
final class Permit {
  private final NodeDeliveryState state;
  private final String destinationKey;
  private boolean destinationHeld = true;
  private boolean held = true;

  /** Takes over a reservation already made in {@code state} (one global, one for the destination). */
  Permit(NodeDeliveryState state, String destinationKey) {
    this.state = state;
    this.destinationKey = destinationKey;
  }

  /**
   * The answer is in: the destination's share goes back now (it bounds what is on the wire); the
   * node-wide share stays until the result is written, so results waiting for PostgreSQL stay
   * bounded by delivery.maxInFlight.
   */
  void answered() {
    if (destinationHeld) {
      destinationHeld = false;
      state.releaseDestination(destinationKey, 1);
    }
  }

  /** Gives back whatever is still held; true the first time only. */
  boolean release() {
    if (!held) {
      return false;
    }
    held = false;
    answered();
    state.releaseGlobal(1);
    return true;
  }
}
