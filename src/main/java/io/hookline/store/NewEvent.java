package io.hookline.store;

import io.vertx.core.buffer.Buffer;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A verified event about to be committed, with one pending delivery per destination id. When
 * {@code leaseOwner} is set, the deliveries are inserted already leased to it (attempt 1 claimed,
 * each for {@code leaseMillis[i]}): the event is handed to this node's delivery workers in memory.
 * {@code traceparent}: the ingest span's W3C context (null when tracing is off).
 */
public record NewEvent(UUID id, String sourceId, String providerEventId, String eventType,
                       OffsetDateTime receivedAt, String contentType, String headersJson, Buffer body,
                       String[] destinationIds, String leaseOwner, long[] leaseMillis, String traceparent) {
  public NewEvent(UUID id, String sourceId, String providerEventId, String eventType, OffsetDateTime receivedAt,
                  String contentType, String headersJson, Buffer body, String[] destinationIds, String leaseOwner,
                  long[] leaseMillis) {
    this(id, sourceId, providerEventId, eventType, receivedAt, contentType, headersJson, body, destinationIds,
        leaseOwner, leaseMillis, null);
  }

  public NewEvent(UUID id, String sourceId, String providerEventId, String eventType, OffsetDateTime receivedAt,
                  String contentType, String headersJson, Buffer body, String[] destinationIds) {
    this(id, sourceId, providerEventId, eventType, receivedAt, contentType, headersJson, body, destinationIds, null, null, null);
  }
}
