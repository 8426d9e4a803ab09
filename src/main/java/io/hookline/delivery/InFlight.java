package io.hookline.delivery;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * One attempt on the wire, so the attempt's timeout or a stopping worker can cut it short. Its
 * result is completed once (the first of answer, error, timeout, abort wins) on the worker's own
 * context, even when a client calls back on another thread.
 */
final class InFlight {
  private final Promise<AttemptResponse> result = Promise.promise();
  private final Context context;
  private Runnable onAbort = () -> { };

  InFlight(Context context) {
    this.context = context;
  }

  /** What to do to the transport when the attempt is cut short (reset the HTTP request...). */
  void onAbort(Runnable r) {
    onAbort = r;
  }

  void abort(String reason) {
    if (result.tryComplete(AttemptResponse.failed(reason))) {
      onAbort.run();
    }
  }

  /** Completes the attempt, hopping back to the worker's context when called from elsewhere. */
  void complete(AttemptResponse r) {
    if (Vertx.currentContext() == context) {
      result.tryComplete(r);
    } else {
      context.runOnContext(v -> result.tryComplete(r));
    }
  }

  boolean isComplete() {
    return result.future().isComplete();
  }

  Future<AttemptResponse> future() {
    return result.future();
  }
}
