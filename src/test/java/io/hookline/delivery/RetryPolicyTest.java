package io.hookline.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.delivery.RetryPolicy.Decision;
import io.hookline.delivery.RetryPolicy.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  static RetryPolicy policy(int maxAttempts, long initialMs, long maxMs, RandomGenerator random) {
    return new RetryPolicy(maxAttempts, Duration.ofMillis(initialMs), Duration.ofMillis(maxMs), random);
  }

  /** Always draws the top of the range, so the jitter's ceiling is observable. */
  static final RandomGenerator TOP = new RandomGenerator() {
    @Override
    public long nextLong() {
      return 0;
    }

    @Override
    public long nextLong(long bound) {
      return bound - 1;
    }
  };

  @Test
  void twoHundredsAreDeliveredAtAnyAttempt() {
    RetryPolicy p = policy(3, 1000, 60_000, new SplittableRandom(1));
    for (int status : new int[] {200, 201, 202, 204, 299}) {
      assertThat(p.afterResponse(1, status, null).outcome()).isEqualTo(Outcome.DELIVERED);
      assertThat(p.afterResponse(3, status, null).outcome()).isEqualTo(Outcome.DELIVERED);
    }
  }

  @Test
  void fourTenIsGoneEvenOnTheFirstAttempt() {
    RetryPolicy p = policy(8, 1000, 60_000, new SplittableRandom(1));
    assertThat(p.afterResponse(1, 410, null)).isEqualTo(new Decision(Outcome.GONE, Duration.ZERO));
  }

  @Test
  void otherStatusesAndErrorsRetryUntilTheLastAttemptThenDie() {
    RetryPolicy p = policy(3, 1000, 60_000, new SplittableRandom(1));
    for (int status : new int[] {100, 301, 400, 401, 404, 409, 429, 500, 502, 503, 504}) {
      assertThat(p.afterResponse(1, status, null).outcome()).as("status %d", status).isEqualTo(Outcome.RETRY);
      assertThat(p.afterResponse(2, status, null).outcome()).as("status %d", status).isEqualTo(Outcome.RETRY);
      assertThat(p.afterResponse(3, status, null).outcome()).as("status %d", status).isEqualTo(Outcome.DEAD);
    }
    assertThat(p.afterError(2).outcome()).isEqualTo(Outcome.RETRY);
    assertThat(p.afterError(3).outcome()).isEqualTo(Outcome.DEAD);
    assertThat(p.afterError(4).outcome()).isEqualTo(Outcome.DEAD);
  }

  @Test
  void singleAttemptMeansNoRetry() {
    assertThat(policy(1, 1000, 1000, new SplittableRandom(1)).afterError(1).outcome()).isEqualTo(Outcome.DEAD);
  }

  @Test
  void ceilingDoublesFromInitialBackoffAndIsCappedAtMaxBackoff() {
    RetryPolicy p = policy(100, 500, 60_000, TOP);
    assertThat(p.backoffCeilingMillis(1)).isEqualTo(500);
    assertThat(p.backoffCeilingMillis(2)).isEqualTo(1000);
    assertThat(p.backoffCeilingMillis(3)).isEqualTo(2000);
    assertThat(p.backoffCeilingMillis(7)).isEqualTo(32_000);
    assertThat(p.backoffCeilingMillis(8)).isEqualTo(60_000);
    assertThat(p.backoffCeilingMillis(64)).isEqualTo(60_000);
    assertThat(p.backoffCeilingMillis(99)).isEqualTo(60_000);
    assertThat(p.backoff(3)).isEqualTo(Duration.ofMillis(2000));
    assertThat(p.afterResponse(3, 500, null).delay()).isEqualTo(Duration.ofMillis(2000));
  }

  @Test
  void fullJitterStaysWithinZeroAndTheCeilingAndSpreadsOverIt() {
    RetryPolicy p = policy(100, 1000, 3_600_000, new SplittableRandom(42));
    for (int attempt = 1; attempt <= 20; attempt++) {
      long ceiling = p.backoffCeilingMillis(attempt);
      long min = Long.MAX_VALUE;
      long max = 0;
      for (int i = 0; i < 2000; i++) {
        long d = p.afterError(attempt).delay().toMillis();
        assertThat(d).isBetween(0L, ceiling);
        min = Math.min(min, d);
        max = Math.max(max, d);
      }
      // Full jitter: the whole range is used, not a band near the ceiling.
      assertThat(min).as("attempt %d", attempt).isLessThan(ceiling / 10 + 1);
      assertThat(max).as("attempt %d", attempt).isGreaterThan(ceiling * 9 / 10);
    }
  }

  @Test
  void sameSeedSameSchedule() {
    RetryPolicy a = policy(10, 1000, 60_000, new Random(7));
    RetryPolicy b = policy(10, 1000, 60_000, new Random(7));
    for (int attempt = 1; attempt < 10; attempt++) {
      assertThat(a.afterError(attempt)).isEqualTo(b.afterError(attempt));
    }
  }

  @Test
  void retryAfterIsAFloorOn429And503Only() {
    RetryPolicy p = policy(5, 100, 1000, new SplittableRandom(3));
    assertThat(p.afterResponse(1, 429, Duration.ofSeconds(2)).delay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.afterResponse(1, 503, Duration.ofSeconds(30)).delay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.afterResponse(1, 500, Duration.ofSeconds(30)).delay()).isLessThanOrEqualTo(Duration.ofMillis(100));
    // Shorter than the backoff: the backoff wins.
    RetryPolicy top = policy(5, 10_000, 60_000, TOP);
    assertThat(top.afterResponse(1, 429, Duration.ofSeconds(1)).delay()).isEqualTo(Duration.ofSeconds(10));
    // On the last attempt Retry-After cannot buy another one.
    assertThat(p.afterResponse(5, 429, Duration.ofSeconds(2)).outcome()).isEqualTo(Outcome.DEAD);
  }

  @Test
  void absurdRetryAfterIsClampedToTheLargerOfMaxBackoffAndAnHour() {
    RetryPolicy p = policy(5, 100, 1000, new SplittableRandom(3));
    assertThat(p.afterResponse(1, 503, Duration.ofDays(30)).delay()).isEqualTo(Duration.ofHours(1));
    RetryPolicy longer = policy(5, 100, Duration.ofHours(6).toMillis(), new SplittableRandom(3));
    assertThat(longer.afterResponse(1, 503, Duration.ofDays(30)).delay()).isEqualTo(Duration.ofHours(6));
  }

  @Test
  void retryAfterParsesSecondsAndHttpDates() {
    Instant now = Instant.parse("2026-11-03T10:00:00Z");
    assertThat(RetryAfter.parse("2", now)).isEqualTo(Duration.ofSeconds(2));
    assertThat(RetryAfter.parse(" 120 ", now)).isEqualTo(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse("0", now)).isEqualTo(Duration.ZERO);
    assertThat(RetryAfter.parse("99999999999999999999", now)).isEqualTo(Duration.ofSeconds(999_999_999L));
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(now.plusSeconds(90), ZoneOffset.UTC));
    assertThat(date).isEqualTo("Tue, 3 Nov 2026 10:01:30 GMT");
    assertThat(RetryAfter.parse(date, now)).isEqualTo(Duration.ofSeconds(90));
    assertThat(RetryAfter.parse("Tue, 03 Nov 2026 10:01:30 GMT", now)).isEqualTo(Duration.ofSeconds(90));
    assertThat(RetryAfter.parse("Tue, 03 Nov 2026 09:00:00 GMT", now)).isEqualTo(Duration.ZERO);
    assertThat(RetryAfter.parse(null, now)).isNull();
    assertThat(RetryAfter.parse("", now)).isNull();
    assertThat(RetryAfter.parse("-5", now)).isNull();
    assertThat(RetryAfter.parse("soon", now)).isNull();
    assertThat(RetryAfter.parse("1.5", now)).isNull();
  }
}
