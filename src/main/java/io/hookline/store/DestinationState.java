package io.hookline.store;

/**
 * A destination's controls as this node last read them from {@code destination_states}: paused by
 * hand, circuit open, consecutive failures, and (open only) when the next probe is due.
 */
public record DestinationState(boolean paused, boolean open, int failures, long probeDueEpochMillis) {
  public static final DestinationState CLOSED = new DestinationState(false, false, 0, 0);

  /** What the admin API and the metric show: paused wins over the circuit. */
  public String label() {
    return paused ? "paused" : open ? "open" : "closed";
  }

  /** Nothing may be claimed for it now: paused, or open with no probe due yet. */
  public boolean blocked(long nowEpochMillis) {
    return paused || (open && nowEpochMillis < probeDueEpochMillis);
  }
}
