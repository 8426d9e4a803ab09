package io.hookline.delivery;

import io.hookline.expression.EventContext;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * What one attempt sends, whatever the destination's kind: the body (the original bytes, or a
 * transform's output) and its content type, with the delivery's metadata, which HTTP sends as
 * headers and brokers as message headers or fields (SPEC "Destinations other than HTTP"), a
 * transform's extra headers and path suffix ("" for none), and the event as expressions see it
 * ({@code event}: null when the destination has no expression).
 */
record DeliveryMessage(String webhookId, long timestampSeconds, String sourceId, String eventType,
                       String providerEventId, String contentType, Buffer body, String traceparent,
                       String signature, int attempt, Map<String, String> extraHeaders, String pathSuffix,
                       EventContext event) {

  /** The metadata, in SPEC order, lower-case names; absent values are left out. */
  void forEachHeader(BiConsumer<String, String> header) {
    header.accept("webhook-id", webhookId);
    header.accept("webhook-timestamp", Long.toString(timestampSeconds));
    header.accept("hookline-source", sourceId);
    if (eventType != null) {
      header.accept("hookline-type", eventType);
    }
    if (contentType != null) {
      header.accept("content-type", contentType);
    }
    if (traceparent != null) {
      header.accept("traceparent", traceparent);
    }
    if (signature != null) {
      header.accept("webhook-signature", signature);
    }
    extraHeaders.forEach(header);
  }

  /**
   * A broker message's metadata: {@link #forEachHeader} plus {@code hookline-attempt} (the attempt's
   * number in its round, as HTTP's Hookline-Attempt), so a consumer tells a retry from a repeat.
   */
  void forEachBrokerHeader(BiConsumer<String, String> header) {
    forEachHeader(header);
    header.accept("hookline-attempt", Integer.toString(attempt));
  }

  /** A broker message's key when no expression is configured: the source and the provider's event id. */
  String defaultKey() {
    return sourceId + ":" + providerEventId;
  }
}
