package io.hookline.delivery;

import io.hookline.delivery.RetryPolicy.Decision;
import io.hookline.delivery.RetryPolicy.Outcome;
import java.time.Duration;
import java.time.Instant;

/**
 * What one attempt came to and what the delivery becomes next, decided from the HTTP response, the
 * broker's acknowledgement or the error alone: a pure function, no I/O. 2xx delivered; 410 gone; other statuses and errors
 * retry after the policy's backoff (429/503 no sooner than their {@code Retry-After}), or dead after
 * the last allowed attempt. An attempt cut short because this node is stopping is recorded as
 * {@value #ABORTED} and is due again at once: a shutdown never makes a delivery dead. A transform (or a
 * broker key expression) that failed on the event makes it dead at once, recorded as {@code transform_failed}.
 *
 * @param outcome         what follows (its {@link Outcome#deliveryStatus()} is the delivery's new status)
 * @param retryDelay      when the delivery is due again (RETRY only)
 * @param statusCode      the destination's status, null when it never answered
 * @param error           what went wrong, for last_error and the attempt row; null when delivered
 * @param recordedOutcome the attempt row's {@code outcome}
 */
record AttemptOutcome(Outcome outcome, Duration retryDelay, Integer statusCode, String error, String recordedOutcome) {
  static final String ABORTED = "aborted";

  static AttemptOutcome decide(RetryPolicy policy, int attempt, AttemptResponse response, boolean stopping,
                               Instant finishedAt) {
    if (response.transformFailed()) {
      // The same event and configuration fail the same way every time: dead at once, no retries burn.
      return new AttemptOutcome(Outcome.DEAD, Duration.ZERO, null, response.error(), AttemptResponse.TRANSFORM_FAILED);
    }
    if (response.acknowledged()) {
      return new AttemptOutcome(Outcome.DELIVERED, Duration.ZERO, null, null, Outcome.DELIVERED.label());
    }
    if (!response.answered()) {
      String error = response.error();
      if (stopping && error != null && error.startsWith(ABORTED)) {
        return new AttemptOutcome(Outcome.RETRY, Duration.ZERO, null, error, ABORTED);
      }
      Decision d = policy.afterError(attempt);
      return new AttemptOutcome(d.outcome(), d.delay(), null, error, d.outcome().label());
    }
    Decision d = policy.afterResponse(attempt, response.statusCode(), RetryAfter.parse(response.retryAfter(), finishedAt));
    String error = d.outcome() == Outcome.DELIVERED ? null
        : "HTTP " + response.statusCode() + (response.bodySnippet() == null ? "" : ": " + response.bodySnippet());
    return new AttemptOutcome(d.outcome(), d.delay(), response.statusCode(), error, d.outcome().label());
  }
}
