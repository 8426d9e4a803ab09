package io.hookline.ingest;

import io.hookline.requests.RetryAddress;
import io.hookline.tracing.IngestTrace;
import io.hookline.verify.Verification;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.Map;

/**
 * A request from the requests log (SPEC: retry), taken on {@link RetryAddress#ADDRESS}: verified again
 * with the source's current secrets against its original arrival time, then ingested as if it had just
 * arrived, through the same {@link IngestPipeline} (dedup, commit, hand-off) as a live request.
 */
final class StoredRequestRetry implements Handler<Message<JsonObject>> {
  private final Map<String, SourceRuntime> sources;
  private final IngestPipeline pipeline;
  private final IngestMetrics metrics;

  StoredRequestRetry(Map<String, SourceRuntime> sources, IngestPipeline pipeline, IngestMetrics metrics) {
    this.sources = sources;
    this.pipeline = pipeline;
    this.metrics = metrics;
  }

  @Override
  public void handle(Message<JsonObject> message) {
    long start = System.nanoTime();
    JsonObject m = message.body();
    SourceRuntime source = sources.get(m.getString("source"));
    if (source == null) {
      message.fail(RetryAddress.UNKNOWN_SOURCE, IngestOutcome.UNKNOWN_SOURCE.label());
      return;
    }
    byte[] bytes = Base64.getDecoder().decode(m.getString("bodyBase64"));
    JsonArray headers = new JsonArray(m.getString("headers"));
    String publicUrl = m.getString("publicUrl");
    Verification v = pipeline.verify(source, new StoredWebhookRequest(headers, bytes, m.getLong("receivedAt"), publicUrl),
        IngestTrace.NONE);
    if (v.kind() != Verification.Kind.ACCEPTED) {
      message.fail(RetryAddress.REFUSED, v.kind() == Verification.Kind.REJECTED ? v.reason().code() : "handshake");
      return;
    }
    JsonArray kept = new JsonArray(); // the credential headers were stored masked: never store them with the event
    MultiMap asReceived = MultiMap.caseInsensitiveMultiMap();
    headers.forEach(h -> {
      JsonArray pair = (JsonArray) h;
      asReceived.add(pair.getString(0), pair.getString(1));
      if (!source.unstoredHeaders().contains(pair.getString(0))) {
        kept.add(h);
      }
    });
    String sourceId = source.config().id();
    // Judged at its original arrival, stored as arriving now.
    StoredWebhookRequest now = new StoredWebhookRequest(headers, bytes, System.currentTimeMillis(), publicUrl);
    pipeline.store(source, v, now, asReceived, m.getString("contentType"), kept.encode(), IngestTrace.NONE)
        .onComplete(ar -> {
          if (ar.succeeded()) {
            metrics.request(sourceId, ar.result().duplicate() ? IngestOutcome.DUPLICATE : IngestOutcome.ACCEPTED, start);
            message.reply(new JsonObject().put("id", ar.result().id().toString()).put("duplicate", ar.result().duplicate()));
          } else {
            IngestPipeline.notStored(sourceId, ar.cause());
            message.fail(RetryAddress.UNAVAILABLE, IngestOutcome.UNAVAILABLE.label());
          }
        });
  }
}
