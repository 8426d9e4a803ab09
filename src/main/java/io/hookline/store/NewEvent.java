package io.hookline.store;

import io.vertx.core.buffer.Buffer;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A verified event about to be committed, with one pending delivery per destination id. */
public record NewEvent(UUID id, String sourceId, String providerEventId, String eventType,
                       OffsetDateTime receivedAt, String contentType, String headersJson, Buffer body,
                       String[] destinationIds) {}
