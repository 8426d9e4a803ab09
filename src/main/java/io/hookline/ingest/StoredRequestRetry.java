package io.hookline.ingest;

import io.hookline.requests.CredentialFingerprints;
import io.hookline.requests.CredentialFingerprints.Candidate;
import io.hookline.requests.CredentialFingerprints.Match;
import io.hookline.requests.RetryAddress;
import io.hookline.tracing.IngestTrace;
import io.hookline.verify.Verification;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A request from the requests log (SPEC: retry), taken on {@link RetryAddress#ADDRESS}: verified again
 * with the source's current secrets against its original arrival time, then ingested as if it had just
 * arrived, through the same {@link IngestPipeline} (dedup, commit, hand-off) as a live request.
 *
 * <p>A source whose credential header is the secret itself (apikey, basic, gitlab) was stored with that
 * header masked: when the stored request fails and it carries credential fingerprints, the value each
 * current secret makes is fingerprinted with the stored salt (on a worker thread: milliseconds each); a
 * match is put back in place of the mask and the source's own verifier judges the request again.
 */
final class StoredRequestRetry implements Handler<Message<JsonObject>> {
  private final Vertx vertx;
  private final Map<String, SourceRuntime> sources;
  private final IngestPipeline pipeline;
  private final IngestMetrics metrics;

  StoredRequestRetry(Vertx vertx, Map<String, SourceRuntime> sources, IngestPipeline pipeline, IngestMetrics metrics) {
    this.vertx = vertx;
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
    long receivedAt = m.getLong("receivedAt");
    Verification v = verify(source, headers, bytes, receivedAt, publicUrl);
    String fingerprints = m.getString("credentialFingerprints");
    Future<Retried> judged = v.kind() == Verification.Kind.ACCEPTED || fingerprints == null
        || source.credentialValues().isEmpty()
        ? Future.succeededFuture(new Retried(v, headers))
        : withMatchedCredentials(source, fingerprints, headers).map(restored -> restored == null
            ? new Retried(v, headers) : new Retried(verify(source, restored, bytes, receivedAt, publicUrl), restored));
    judged.onComplete(ar -> {
      Verification result = ar.succeeded() ? ar.result().verification() : v;
      if (result.kind() != Verification.Kind.ACCEPTED) {
        message.fail(RetryAddress.REFUSED, result.kind() == Verification.Kind.REJECTED ? result.reason().code() : "handshake");
        return;
      }
      ingest(message, source, result, ar.result().headers(), bytes, publicUrl, start);
    });
  }

  private record Retried(Verification verification, JsonArray headers) {}

  private Verification verify(SourceRuntime source, JsonArray headers, byte[] body, long receivedAt, String publicUrl) {
    return pipeline.verify(source, new StoredWebhookRequest(headers, body, receivedAt, publicUrl), IngestTrace.NONE);
  }

  /** The stored headers with each fingerprint-matched mask replaced by its value, or null when none matched. */
  private Future<JsonArray> withMatchedCredentials(SourceRuntime source, String fingerprints, JsonArray headers) {
    List<Candidate> candidates = source.credentialValues().stream()
        .map(c -> new Candidate(c.header(), c.value())).toList();
    return vertx.executeBlocking(() -> CredentialFingerprints.match(fingerprints, candidates), false).map(matches -> {
      if (matches.isEmpty()) {
        return null;
      }
      JsonArray restored = headers.copy();
      for (Match match : matches) {
        if (match.index() >= 0 && match.index() < restored.size()
            && RefusedRequests.MASK.equals(restored.getJsonArray(match.index()).getString(1))) {
          restored.set(match.index(), new JsonArray().add(restored.getJsonArray(match.index()).getString(0)).add(match.value()));
        }
      }
      return restored;
    });
  }

  private void ingest(Message<JsonObject> message, SourceRuntime source, Verification v, JsonArray headers, byte[] bytes,
                      String publicUrl, long start) {
    JsonArray kept = new JsonArray(); // the credential headers are never stored with the event
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
    pipeline.store(source, v, now, asReceived, message.body().getString("contentType"), kept.encode(), IngestTrace.NONE)
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
