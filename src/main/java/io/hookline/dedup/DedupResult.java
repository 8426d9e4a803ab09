package io.hookline.dedup;

/**
 * What Redis said about an event id. Only {@link Kind#COMMITTED_DUPLICATE} short-cuts the
 * pipeline; every other answer goes on to PostgreSQL, whose unique key has the last word.
 */
public record DedupResult(Kind kind, String existingId) {
  public enum Kind {
    /** We hold the claim; release it if the commit fails. */
    CLAIMED,
    /** Another request committed this event already; existingId is its Hookline id. */
    COMMITTED_DUPLICATE,
    /** Another request claimed it; whether it committed (yet, or ever) only PostgreSQL knows: let it decide. */
    CLAIMED_ELSEWHERE,
    /** Redis failed or timed out. */
    UNAVAILABLE
  }

  static final DedupResult CLAIMED = new DedupResult(Kind.CLAIMED, null);
  static final DedupResult CLAIMED_ELSEWHERE = new DedupResult(Kind.CLAIMED_ELSEWHERE, null);
  static final DedupResult UNAVAILABLE = new DedupResult(Kind.UNAVAILABLE, null);
}
