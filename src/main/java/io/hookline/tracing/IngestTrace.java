package io.hookline.tracing;

/** The span of one ingest request; confined to the request's event loop. */
public interface IngestTrace {
  IngestTrace NONE = new IngestTrace() {
    @Override
    public Step step(String name) {
      return Step.NONE;
    }

    @Override
    public void eventId(String id) {}

    @Override
    public String traceparent() {
      return null;
    }

    @Override
    public void end(int statusCode) {}
  };

  /** A child span ({@code verify}, {@code dedup}, {@code commit}) started now. */
  Step step(String name);

  /** The id the event was accepted under (shown on the span). */
  void eventId(String id);

  /** This span's W3C {@code traceparent}, stored with the event so its delivery attempts join the trace; null if off. */
  String traceparent();

  void end(int statusCode);

  /** A child span; {@link #end()} once. */
  interface Step {
    Step NONE = () -> {};

    void end();
  }
}
