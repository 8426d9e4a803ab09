package io.hookline.delivery;

import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.store.DeliveryStatus;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * What happens after one attempt: delivered (2xx), gone (410: the destination says it will never
 * want this), dead (the last allowed attempt failed) or retry after a delay. The delay is
 * exponential backoff with full jitter, {@code random(0, min(maxBackoff, initialBackoff * 2^(attempt-1)))},
 * so a fleet of deliveries that failed together does not come back together. On 429 and 503 a
 * {@code Retry-After} from the destination is a floor for the delay.
 *
 * <p>Not thread-safe (the random generator); each delivery worker holds its own.
 */
public final class RetryPolicy {
  /** A Retry-After beyond this is clamped, so a misbehaving destination cannot park deliveries for days. */
  static final Duration RETRY_AFTER_CEILING = Duration.ofHours(1);

  public enum Outcome {
    DELIVERED, RETRY, DEAD, GONE;

    /** The value stored in {@code deliveries.status} (RETRY keeps the delivery pending) and used as metric tag. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public DeliveryStatus deliveryStatus() {
      return this == RETRY ? DeliveryStatus.PENDING : DeliveryStatus.valueOf(name());
    }
  }

  /** {@code delay} is meaningful only for {@link Outcome#RETRY}. */
  public record Decision(Outcome outcome, Duration delay) {
    static final Decision DELIVERED = new Decision(Outcome.DELIVERED, Duration.ZERO);
    static final Decision GONE = new Decision(Outcome.GONE, Duration.ZERO);
    static final Decision DEAD = new Decision(Outcome.DEAD, Duration.ZERO);
  }

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final RandomGenerator random;

  public RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, RandomGenerator random) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1");
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff");
    }
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.random = random;
  }

  public static RetryPolicy of(DestinationConfig d) {
    return new RetryPolicy(d.maxAttempts(), d.initialBackoff(), d.maxBackoff(), new SplittableRandom());
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * After an HTTP response. {@code attempt} is 1-based within the current round;
   * {@code retryAfter} is the parsed header (null if absent), only honoured on 429 and 503.
   */
  public Decision afterResponse(int attempt, int statusCode, Duration retryAfter) {
    if (statusCode >= 200 && statusCode < 300) {
      return Decision.DELIVERED;
    }
    if (statusCode == 410) {
      return Decision.GONE;
    }
    boolean asksToWait = statusCode == 429 || statusCode == 503;
    return failed(attempt, asksToWait ? retryAfter : null);
  }

  /** After a timeout, a refused or reset connection, a TLS failure: no answer at all. */
  public Decision afterError(int attempt) {
    return failed(attempt, null);
  }

  private Decision failed(int attempt, Duration retryAfter) {
    if (attempt >= maxAttempts) {
      return Decision.DEAD;
    }
    Duration delay = backoff(attempt);
    if (retryAfter != null) {
      Duration floor = retryAfter.compareTo(ceiling()) > 0 ? ceiling() : retryAfter;
      if (floor.compareTo(delay) > 0) {
        delay = floor;
      }
    }
    return new Decision(Outcome.RETRY, delay);
  }

  private Duration ceiling() {
    return maxBackoff.compareTo(RETRY_AFTER_CEILING) > 0 ? maxBackoff : RETRY_AFTER_CEILING;
  }

  /** The jittered delay after failed attempt number {@code attempt} (1-based). */
  public Duration backoff(int attempt) {
    long cap = backoffCeilingMillis(attempt);
    return Duration.ofMillis(cap == 0 ? 0 : random.nextLong(cap + 1));
  }

  /** The upper bound of {@link #backoff}: {@code min(maxBackoff, initialBackoff * 2^(attempt-1))}. */
  public long backoffCeilingMillis(int attempt) {
    long initial = initialBackoff.toMillis();
    long max = maxBackoff.toMillis();
    int doublings = Math.max(0, attempt - 1);
    // Doubling past 62 bits overflows; long before that the cap has been reached.
    if (doublings >= 62 || initial > (max >> Math.min(doublings, 62))) {
      return max;
    }
    return Math.min(max, initial << doublings);
  }
}
