package io.hookline.delivery;

/**
 * A destination's controls as this node last read them from {@code destination_states}: paused by
 * hand, circuit open, consecutive failures, and (open only) when the next probe is due.
 */
record DestinationState(boolean paused, boolean open, int failures, long probeDueEpochMillis) {
  static final DestinationState CLOSED = new DestinationState(false, false, 0, 0);

  /** What the admin API and the metric show: paused wins over the circuit. */
  String label() {
    return paused ? "paused" : open ? "open" : "closed";
  }

  /** Nothing may be claimed for it now: paused, or open with no probe due yet. */
  boolean blocked(long nowEpochMillis) {
    return paused || (open && nowEpochMillis < probeDueEpochMillis);
  }
}
