package io.hookline.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.delivery.RetryPolicy.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The pure step from an HTTP response (or error) to the attempt's outcome and the delivery's next state. */
class AttemptOutcomeTest {
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  // 5 attempts, backoff 1 s doubling up to 60 s.
  final RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(60), new SplittableRandom(7));

  static AttemptResponse status(int code) {
    return new AttemptResponse(code, null, null, null);
  }

  AttemptOutcome decide(int attempt, AttemptResponse r) {
    return AttemptOutcome.decide(policy, attempt, r, false, NOW);
  }

  @Test
  void anyTwoHundredIsDeliveredWithNoError() {
    for (int code : new int[] {200, 201, 202, 204, 299}) {
      AttemptOutcome o = decide(1, status(code));
      assertThat(o.outcome()).isEqualTo(Outcome.DELIVERED);
      assertThat(o.outcome().deliveryStatus().value()).isEqualTo("delivered");
      assertThat(o.statusCode()).isEqualTo(code);
      assertThat(o.error()).isNull();
      assertThat(o.recordedOutcome()).isEqualTo("delivered");
    }
    // Even on the last allowed attempt.
    assertThat(decide(5, status(200)).outcome()).isEqualTo(Outcome.DELIVERED);
  }

  @Test
  void goneIsFinalAtOnce() {
    AttemptOutcome o = decide(1, new AttemptResponse(410, null, "no such hook", null));
    assertThat(o.outcome()).isEqualTo(Outcome.GONE);
    assertThat(o.outcome().deliveryStatus().value()).isEqualTo("gone");
    assertThat(o.error()).isEqualTo("HTTP 410: no such hook");
  }

  @Test
  void serverErrorsRetryWithBackoffWithinTheCeilingThenDieOnTheLastAttempt() {
    for (int attempt = 1; attempt < 5; attempt++) {
      AttemptOutcome o = decide(attempt, new AttemptResponse(500, null, "boom", null));
      assertThat(o.outcome()).isEqualTo(Outcome.RETRY);
      assertThat(o.outcome().deliveryStatus().value()).isEqualTo("pending");
      assertThat(o.retryDelay()).isBetween(Duration.ZERO, Duration.ofMillis(policy.backoffCeilingMillis(attempt)));
      assertThat(o.error()).isEqualTo("HTTP 500: boom");
      assertThat(o.recordedOutcome()).isEqualTo("retry");
    }
    AttemptOutcome last = decide(5, status(502));
    assertThat(last.outcome()).isEqualTo(Outcome.DEAD);
    assertThat(last.outcome().deliveryStatus().value()).isEqualTo("dead");
    assertThat(last.error()).isEqualTo("HTTP 502");
  }

  @Test
  void retryAfterIsAFloorOn429And503OnlyInSecondsOrAsADate() {
    AttemptOutcome seconds = decide(1, new AttemptResponse(429, "120", null, null));
    assertThat(seconds.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(seconds.retryDelay()).isGreaterThanOrEqualTo(Duration.ofSeconds(120));

    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(300).atOffset(ZoneOffset.UTC));
    AttemptOutcome dated = decide(1, new AttemptResponse(503, date, null, null));
    assertThat(dated.retryDelay()).isGreaterThanOrEqualTo(Duration.ofSeconds(300));

    // A 500 asking to wait is not honoured: its delay stays within the backoff ceiling of attempt 1.
    AttemptOutcome ignored = decide(1, new AttemptResponse(500, "3600", null, null));
    assertThat(ignored.retryDelay()).isLessThanOrEqualTo(Duration.ofSeconds(1));

    // The last attempt is dead whatever the destination asks.
    assertThat(decide(5, new AttemptResponse(429, "10", null, null)).outcome()).isEqualTo(Outcome.DEAD);
  }

  @Test
  void timeoutsAndConnectionErrorsRetryWithNoStatusThenDie() {
    AttemptOutcome timeout = decide(2, AttemptResponse.failed("timeout after 300 ms"));
    assertThat(timeout.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(timeout.statusCode()).isNull();
    assertThat(timeout.error()).isEqualTo("timeout after 300 ms");
    assertThat(timeout.retryDelay()).isLessThanOrEqualTo(Duration.ofSeconds(2));

    AttemptOutcome refused = decide(5, AttemptResponse.failed("connection failed: Connection refused"));
    assertThat(refused.outcome()).isEqualTo(Outcome.DEAD);
    assertThat(refused.statusCode()).isNull();
    assertThat(refused.recordedOutcome()).isEqualTo("dead");
  }

  @Test
  void anAttemptAbortedByAStoppingNodeIsDueAgainAtOnceAndNeverDead() {
    AttemptResponse aborted = AttemptResponse.failed(AttemptOutcome.ABORTED + ": node stopping");
    AttemptOutcome o = AttemptOutcome.decide(policy, 5, aborted, true, NOW);
    assertThat(o.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(o.retryDelay()).isZero();
    assertThat(o.recordedOutcome()).isEqualTo("aborted");
    // The same error while not stopping is an ordinary failure.
    assertThat(AttemptOutcome.decide(policy, 5, aborted, false, NOW).outcome()).isEqualTo(Outcome.DEAD);
  }
}
