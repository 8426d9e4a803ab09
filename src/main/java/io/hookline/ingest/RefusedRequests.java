package io.hookline.ingest;

import io.hookline.requests.CredentialFingerprints.Masked;
import io.hookline.requests.RequestLog;
import io.hookline.store.RequestLogStore.RefusedRequest;
import io.hookline.verify.EventIds;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map.Entry;

/**
 * The ingest side of the requests log: a request refused by verification, admitted by the node's
 * {@link RequestLog} budget, is copied (headers with credential values masked, body cut at 64 KiB)
 * into its buffer. Costs one budget check when the budget is spent, so a forged flood adds nothing.
 * The values of masked headers a retry can match (the source's {@link SourceRuntime#fingerprinted()}
 * headers) go with it, in memory only, for the log's writer to fingerprint off the event loops.
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
        IngestPipeline.headersJson(request.headers(), source.unstoredHeaders(), MASK), Buffer.buffer(kept), cut),
        masked(request, source));
  }

  /** The values to fingerprint, with their positions in the stored headers (every header is stored, masked or not). */
  private static List<Masked> masked(HttpServerRequest request, SourceRuntime source) {
    if (source.fingerprinted().isEmpty()) {
      return List.of();
    }
    List<Masked> out = new ArrayList<>(1);
    int index = 0;
    for (Entry<String, String> e : request.headers()) {
      if (source.fingerprinted().contains(e.getKey())) {
        out.add(new Masked(index, e.getKey(), e.getValue()));
      }
      index++;
    }
    return out;
  }
}
