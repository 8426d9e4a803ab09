package io.hookline.management.admin;

import io.hookline.requests.RetryAddress;
import io.hookline.store.RequestLogStore;
import io.hookline.store.RequestLogStore.RefusedRequest;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.UUID;

/**
 * Retries one stored request: reads it and hands it to this node's ingest verticles
 * ({@link RetryAddress}), which verify it again and ingest it like a live request. Answers the
 * ingest reply ({@code id}, {@code duplicate}) or fails with an {@link AdminFailure}.
 */
final class RequestRetrier {
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(30_000);

  private final RequestLogStore store;
  private final EventBus eventBus;

  RequestRetrier(RequestLogStore store, EventBus eventBus) {
    this.store = store;
    this.eventBus = eventBus;
  }

  Future<JsonObject> retry(UUID id) {
    return store.detail(id).compose(r -> {
      if (r == null) {
        return Future.failedFuture(AdminFailure.notFound("no stored request " + id));
      }
      return eventBus.<JsonObject>request(RetryAddress.ADDRESS, message(r), LOCAL)
          .map(reply -> reply.body())
          .recover(err -> Future.failedFuture(failure(err)));
    });
  }

  private static JsonObject message(RefusedRequest r) {
    return new JsonObject().put("source", r.sourceId()).put("receivedAt", r.receivedAt().toInstant().toEpochMilli())
        .put("publicUrl", r.publicUrl()).put("contentType", r.contentType()).put("headers", r.headersJson())
        .put("bodyBase64", Base64.getEncoder().encodeToString(r.body().getBytes()))
        .put("credentialFingerprints", r.fingerprints() == null ? null : r.fingerprints().json());
  }

  private static Throwable failure(Throwable err) {
    if (err instanceof ReplyException re) {
      return switch (re.failureCode()) {
        case RetryAddress.REFUSED -> AdminFailure.of(422, re.getMessage(),
            "the stored request still fails verification with the source's current secrets: " + re.getMessage());
        case RetryAddress.UNKNOWN_SOURCE -> AdminFailure.of(422, "unknown_source",
            "the request's source is no longer configured");
        case RetryAddress.UNAVAILABLE -> AdminFailure.of(503, "unavailable",
            "the event could not be stored durably right now; retry later");
        default -> AdminFailure.of(503, "unavailable", "the ingest path did not answer; retry later");
      };
    }
    return err;
  }
}
