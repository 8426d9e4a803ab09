package io.hookline.tracing;

/** The span of one delivery attempt. */
public interface AttemptTrace {
  AttemptTrace NONE = new AttemptTrace() {
    @Override
    public String traceparent() {
      return null;
    }

    @Override
    public void end(int statusCode, String error) {}
  };

  /** The {@code traceparent} header for this attempt's request (the attempt span as parent); null if off. */
  String traceparent();

  /** {@code statusCode} 0 = no answer, then {@code error} says why (never a secret: no headers in it). */
  void end(int statusCode, String error);
}
