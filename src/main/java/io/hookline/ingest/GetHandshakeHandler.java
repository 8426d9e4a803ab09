package io.hookline.ingest;

import io.hookline.verify.Verification;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * {@code GET /webhooks/{sourceId}}: a provider's endpoint check (Meta, Dropbox, X, Okta), answered
 * by the source's verifier ({@link io.hookline.verify.SignatureVerifier#answerGet}) on the event
 * loop. Sources whose provider has no GET handshake answer 405 as before; nothing is stored.
 */
final class GetHandshakeHandler implements Handler<RoutingContext> {
  private static final byte[] NO_BODY = new byte[0];
  private static final CharSequence NOSNIFF = HttpHeaders.createOptimized("nosniff");
  private static final CharSequence X_CONTENT_TYPE_OPTIONS = HttpHeaders.createOptimized("X-Content-Type-Options");

  private final Map<String, SourceRuntime> sources;
  private final IngestMetrics metrics;
  private final PublicUrl publicUrl;

  GetHandshakeHandler(Map<String, SourceRuntime> sources, IngestMetrics metrics, PublicUrl publicUrl) {
    this.sources = sources;
    this.metrics = metrics;
    this.publicUrl = publicUrl;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.put(ErrorRenderer.START_KEY, start);
    HttpServerRequest request = ctx.request();
    String sourceId = ctx.pathParam("sourceId");
    SourceRuntime source = sourceId == null ? null : sources.get(sourceId);
    if (source == null) {
      ctx.fail(new IngestFailure(404, IngestOutcome.UNKNOWN_SOURCE, "unknown source: no source with this id is configured",
          !request.isEnded()));
      return;
    }
    Verification v;
    try {
      v = source.verifier().answerGet(new VertxWebhookRequest(request, NO_BODY, System.currentTimeMillis(), publicUrl));
    } catch (RuntimeException e) {
      // Like verify: a handshake must not throw; if one does, refuse rather than answer.
      RejectionLog.verifierFailed(source.config().id(), source.config().provider(), e);
      v = Verification.rejected(io.hookline.verify.Reason.MALFORMED_SIGNATURE, "the handshake could not be checked");
    }
    if (v == null) {
      ctx.fail(405); // this provider checks endpoints with no GET: the router's own 405 answer, counted as before
      return;
    }
    ctx.put(ErrorRenderer.SOURCE_KEY, source.config().id());
    switch (v.kind()) {
      case REJECTED -> ctx.fail(new IngestFailure(v.reason().status(), IngestPipeline.outcomeOf(v.reason()), v.message(),
          !request.isEnded()));
      case HANDSHAKE -> {
        metrics.request(source.config().id(), IngestOutcome.HANDSHAKE, start);
        // An echoed challenge is the sender's text: never let a browser sniff it into HTML.
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, v.handshakeContentType())
            .putHeader(X_CONTENT_TYPE_OPTIONS, NOSNIFF)
            .end(Buffer.buffer(v.handshakeBody()));
      }
      case ACCEPTED -> ctx.fail(new IllegalStateException(source.config().provider() + " accepted a GET as an event"));
    }
  }
}
