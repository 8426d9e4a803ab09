package io.hookline.ingest;

import io.hookline.requests.RequestLog;
import io.hookline.store.RequestLogStore.RefusedRequest;
import io.hookline.verify.EventIds;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * The ingest side of the requests log: a request refused by verification, admitted by the node's
 * {@link RequestLog} budget, is copied (headers with credential values masked, body cut at 64 KiB)
 * into its buffer. Costs one budget check when the budget is spent, so a forged flood adds nothing.
 */
final class RefusedRequests {
  static final String MASK = "****";

  private final RequestLog log;
  private final PublicUrl publicUrl;

  RefusedRequests(RequestLog log, PublicUrl publicUrl) {
    this.log = log;
    this.publicUrl = publicUrl;
  }

  void refused(HttpServerRequest request, SourceRuntime source, String reason, int status, byte[] body, long receivedAt) {
    String sourceId = source.config().id();
    if (!log.admit(sourceId, reason)) {
      return;
    }
    boolean cut = body.length > RequestLog.MAX_BODY_BYTES;
    byte[] kept = cut ? Arrays.copyOf(body, RequestLog.MAX_BODY_BYTES) : body;
    log.add(new RefusedRequest(EventIds.newId(), Instant.ofEpochMilli(receivedAt).atOffset(ZoneOffset.UTC), sourceId,
        reason, status, request.remoteAddress() == null ? null : request.remoteAddress().toString(), log.nodeId(),
        publicUrl.of(request), request.getHeader(HttpHeaders.CONTENT_TYPE),
        IngestPipeline.headersJson(request.headers(), source.unstoredHeaders(), MASK), Buffer.buffer(kept), cut));
  }
}
