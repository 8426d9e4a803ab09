package io.hookline.delivery;

import io.hookline.store.ClaimedDelivery;
import io.hookline.expression.EventContext;
import io.vertx.core.buffer.Buffer;
import java.util.UUID;

/**
 * A committed event handed from ingest to this node's delivery workers over the local event bus
 * (never serialized): everything attempt 1 needs, so it starts without a claim query or a body read.
 * Its deliveries are leased to {@code leaseOwner} since the commit, each for {@code leaseMillis[i]},
 * counted from at the latest {@code writtenAtNanos} ({@link System#nanoTime()} before the commit was sent).
 * {@code traceparent}: the event's trace (null when tracing is off); {@code eventType} and
 * {@code providerEventId} as stored (see {@link ClaimedDelivery}). {@code event}: the event as its
 * expressions saw it at arrival (null when its source has none), so a transform or broker key needs no
 * read of the event and no second parse of its body; handed over with the message, then used only on
 * the receiving worker's thread.
 */
public record HandedOffEvent(UUID eventId, String sourceId, String contentType, Buffer body, String[] destinationIds,
                             String leaseOwner, long[] leaseMillis, long writtenAtNanos,
                             String traceparent, String eventType, String providerEventId, EventContext event) {}
