package io.hookline.tracing;

/**
 * Spans of the webhook path: one per ingest request (with verify, dedup and commit steps) and one per
 * delivery attempt, joined by the W3C {@code traceparent} stored with the event. {@link #NONE} (no
 * {@code tracing} section) is a null object: no OpenTelemetry class is loaded or called, and callers
 * check {@link #enabled()} once per request. The OpenTelemetry implementation is
 * {@code io.hookline.tracing.otel.OtelTracing}, built only by the node wiring.
 */
public interface Tracing {
  Tracing NONE = new Tracing() {
    @Override
    public boolean enabled() {
      return false;
    }

    @Override
    public IngestTrace ingest(String sourceId, String incomingTraceparent) {
      return IngestTrace.NONE;
    }

    @Override
    public AttemptTrace attempt(String eventTraceparent, String sourceId, String destinationId, String eventId,
                                int attempt) {
      return AttemptTrace.NONE;
    }

    @Override
    public void close() {}
  };

  boolean enabled();

  /** Starts the span of {@code POST /webhooks/{sourceId}}; a provider's {@code traceparent} (may be null) is its parent. */
  IngestTrace ingest(String sourceId, String incomingTraceparent);

  /** Starts the span of one delivery attempt, a child of the event's stored {@code traceparent} (may be null). */
  AttemptTrace attempt(String eventTraceparent, String sourceId, String destinationId, String eventId, int attempt);

  /** Exports what is still buffered and stops; blocks, so never on an event loop. */
  void close();
}
