package io.hookline.delivery;

import io.hookline.store.ClaimedDelivery;
import io.vertx.core.buffer.Buffer;
import java.util.UUID;

/**
 * A committed event handed from ingest to this node's delivery workers over the local event bus
 * (never serialized): everything attempt 1 needs, so it starts without a claim query or a body read.
 * Its deliveries are leased to {@code leaseOwner} since the commit, each for {@code leaseMillis[i]},
 * counted from at the latest {@code writtenAtNanos} ({@link System#nanoTime()} before the commit was sent).
 * {@code traceparent}: the event's trace (null when tracing is off); {@code eventType} and
 * {@code providerEventId} as stored (see {@link ClaimedDelivery}).
 */
public record HandedOffEvent(UUID eventId, String sourceId, String contentType, Buffer body, String[] destinationIds,
                             String leaseOwner, long[] leaseMillis, long writtenAtNanos,
                             String traceparent, String eventType, String providerEventId) {}
