package io.hookline.store;

import io.vertx.core.buffer.Buffer;
import java.util.UUID;

/**
 * One delivery this worker holds a lease on, with what it needs to send. {@code attempt} is the
 * number of this attempt within {@code round}; together with {@code leaseOwner} it fences every
 * write-back, so a worker whose lease was taken over cannot overwrite the newer holder's state.
 * {@code traceparent}: the event's trace, stored with it (null when tracing was off at ingest).
 * {@code leaseDeadlineNanos} ({@link System#nanoTime()}) is when the lease ends at the earliest.
 * {@code eventType} (null when the provider gives none) and {@code providerEventId} are sent as
 * metadata and make a broker message's default key.
 */
public record ClaimedDelivery(UUID eventId, String sourceId, String destinationId, int round, int attempt,
                              String contentType, Buffer body, String leaseOwner, String traceparent,
                              long leaseDeadlineNanos, String eventType, String providerEventId) {}
