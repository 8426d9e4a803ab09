package io.hookline.delivery;

import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.expression.DestinationExpressions;
import io.hookline.expression.ExpressionException;
import io.hookline.expression.OutgoingMessage;
import io.hookline.expression.Transform;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One destination as a worker instance sees it: its own HTTP connection pool and timeout, its
 * retry policy, its signing key and meters. Every label value comes from the configuration.
 */
final class DestinationTarget {
  static final String USER_AGENT = "Hookline/1";
  /** How much of a failed response's body is kept in last_error / the attempt row. */
  private static final int ERROR_BODY_BYTES = 256;

  final String key;
  final String sourceId;
  final DestinationConfig config;
  final RetryPolicy policy;
  final long leaseMillis;
  final long timeoutNanos;
  /** The destination's compiled transform; null = the stored event is sent as it is. */
  final Transform transform;
  private final byte[] signingKey;
  private final HttpClientAgent client;
  private final Vertx vertx;
  private final Map<RetryPolicy.Outcome, Counter> outcomes = new EnumMap<>(RetryPolicy.Outcome.class);
  private final Timer latency;

  /** What came back from one HTTP attempt: a status (with a Retry-After header and some body), or an error. */
  record Response(int statusCode, String retryAfter, String bodySnippet, String error) {
    boolean answered() {
      return statusCode > 0;
    }

    static Response failed(String error) {
      return new Response(0, null, null, error);
    }

    /** The transform failed on this event: nothing was sent, and retrying cannot help. */
    static Response transformFailed(String error) {
      return new Response(0, null, null, TRANSFORM_FAILED + ": " + error);
    }

    boolean transformFailed() {
      return statusCode == 0 && error != null && error.startsWith(TRANSFORM_FAILED + ": ");
    }
  }

  static final String TRANSFORM_FAILED = "transform_failed";

  /** An attempt on the wire, so a stopping worker can cut it short. */
  static final class InFlight {
    private final Promise<Response> result = Promise.promise();
    private HttpClientRequest request;
    private long timerId = -1;

    void abort(String reason) {
      if (result.tryComplete(Response.failed(reason)) && request != null) {
        request.reset(0, new IllegalStateException(reason));
      }
    }

    Future<Response> future() {
      return result.future();
    }
  }

  /** The destination URL, parsed once. {@code path}/{@code query}: where a transform's path suffix goes. */
  record Url(boolean ssl, String host, int port, String uri, String path, String query) {
    /** The request URI with {@code suffix} appended to the path, before the query. */
    String withPathSuffix(String suffix) {
      return suffix.isEmpty() ? uri : query == null ? path + suffix : path + suffix + "?" + query;
    }

    static Url parse(String url) {
      URI u = URI.create(url);
      boolean ssl = "https".equalsIgnoreCase(u.getScheme());
      String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
      return new Url(ssl, u.getHost(), u.getPort() > 0 ? u.getPort() : ssl ? 443 : 80,
          u.getRawQuery() == null ? path : path + "?" + u.getRawQuery(), path, u.getRawQuery());
    }
  }

  private final Url target;

  DestinationTarget(Vertx vertx, SourceConfig source, DestinationConfig config, Duration configLease,
                    MeterRegistry registry) {
    this.vertx = vertx;
    this.target = Url.parse(config.url());
    this.key = key(source.id(), config.id());
    this.sourceId = source.id();
    this.config = config;
    this.policy = RetryPolicy.of(config);
    this.leaseMillis = leaseMillis(configLease, config);
    this.timeoutNanos = config.timeout().toNanos();
    this.transform = DestinationExpressions.of(source, config).transform();
    this.signingKey = config.signingSecret() == null ? null
        : StandardWebhooksSigner.keyFromSecret(config.signingSecret().value());
    long timeoutMs = config.timeout().toMillis();
    this.client = vertx.createHttpClient(
        new HttpClientOptions()
            .setKeepAlive(true)
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
            .setName("hookline-delivery-" + source.id() + "/" + config.id()),
        // The permits never let more than maxInFlight attempts at this destination run at once,
        // so the pool never makes a request wait for a connection.
        new PoolOptions().setHttp1MaxSize(config.maxInFlight()).setHttp2MaxSize(1));
    for (RetryPolicy.Outcome o : RetryPolicy.Outcome.values()) {
      outcomes.put(o, Counter.builder("hookline.deliveries")
          .description("Delivery attempts by source, destination and what followed (delivered, retry, dead, gone)")
          .tag("source", sourceId).tag("destination", config.id()).tag("outcome", o.label())
          .register(registry));
    }
    this.latency = Timer.builder("hookline.delivery")
        .description("One delivery attempt: request sent to response read, or failure")
        .tag("source", sourceId).tag("destination", config.id())
        .register(registry);
  }

  /**
   * The lease must outlive the longest possible attempt plus the write-back, or another worker could
   * start the same delivery while this one is still talking to the destination.
   */
  static long leaseMillis(Duration configLease, DestinationConfig config) {
    Duration minimum = config.timeout().plus(DeliveryWorker.LEASE_MARGIN);
    return (configLease.compareTo(minimum) >= 0 ? configLease : minimum).toMillis();
  }

  static String key(String sourceId, String destinationId) {
    return sourceId + "\u0000" + destinationId;
  }

  void count(RetryPolicy.Outcome outcome, long nanos) {
    outcomes.get(outcome).increment();
    latency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * POSTs the event: the original body and content type, and the Standard Webhooks headers. The
   * whole attempt (connect, send, response, body) is bounded by the destination's timeout.
   */
  InFlight send(ClaimedDelivery d, long timestampSeconds, String traceparent) {
    InFlight attempt = new InFlight();
    start(attempt, d, d.body(), d.contentType(), target.uri(), null, timestampSeconds, traceparent);
    return attempt;
  }

  /**
   * Like {@link #send} for a destination with a {@code transform}: once {@code message} is ready (the
   * transform applied), sends it: its body (signed), content type, extra headers and path suffix. A
   * transform that failed ({@link ExpressionException}) completes the attempt as
   * {@link Response#transformFailed}, nothing sent.
   */
  InFlight send(ClaimedDelivery d, Future<OutgoingMessage> message, long timestampSeconds, String traceparent) {
    InFlight attempt = new InFlight();
    message.onComplete(ar -> {
      if (attempt.future().isComplete()) {
        return; // aborted while the transform's inputs were read
      }
      if (ar.failed()) {
        attempt.result.tryComplete(ar.cause() instanceof ExpressionException e ? Response.transformFailed(e.getMessage())
            : Response.failed("could not read the event for its transform: " + describe(ar.cause())));
        return;
      }
      OutgoingMessage m = ar.result();
      start(attempt, d, m.body(), m.contentType(), target.withPathSuffix(m.pathSuffix()), m.headers(), timestampSeconds,
          traceparent);
    });
    return attempt;
  }

  private void start(InFlight attempt, ClaimedDelivery d, Buffer body, String contentType, String uri,
                     Map<String, String> extraHeaders, long timestampSeconds, String traceparent) {
    long timeoutMs = config.timeout().toMillis();
    String msgId = d.eventId().toString();
    // The URL is parsed once (target); the attempt's own timer below bounds connect, send and answer,
    // so the request sets no timeouts of its own (each would be one more timer per attempt).
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setSsl(target.ssl())
        .setHost(target.host())
        .setPort(target.port())
        .setURI(uri)
        .putHeader(HttpHeaders.USER_AGENT, USER_AGENT)
        .putHeader("webhook-id", msgId)
        .putHeader("webhook-timestamp", Long.toString(timestampSeconds))
        .putHeader("Hookline-Source", sourceId)
        .putHeader("Hookline-Attempt", Integer.toString(d.attempt()));
    if (traceparent != null) {
      options.putHeader("traceparent", traceparent);
    }
    if (contentType != null) {
      options.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    }
    if (extraHeaders != null) {
      extraHeaders.forEach(options::putHeader);
    }
    if (signingKey != null) {
      options.putHeader("webhook-signature",
          StandardWebhooksSigner.sign(signingKey, msgId, timestampSeconds, body.getBytes()));
    }
    attempt.timerId = vertx.setTimer(timeoutMs, id -> attempt.abort("timeout after " + timeoutMs + " ms"));
    attempt.future().onComplete(ar -> vertx.cancelTimer(attempt.timerId));
    client.request(options)
        .compose(request -> {
          attempt.request = request;
          // Failures reach the send future; without a handler a reset would also be logged as an error.
          request.exceptionHandler(err -> { });
          if (attempt.future().isComplete()) {
            // Timed out or aborted while waiting for a connection: do not send at all.
            request.reset();
            return Future.failedFuture(new TimeoutException("cancelled before sending"));
          }
          return request.send(body);
        })
        .compose(response -> {
          Buffer snippet = Buffer.buffer();
          boolean success = response.statusCode() / 100 == 2;
          response.handler(chunk -> {
            if (!success && snippet.length() < ERROR_BODY_BYTES) {
              snippet.appendBuffer(chunk, 0, Math.min(chunk.length(), ERROR_BODY_BYTES - snippet.length()));
            }
          });
          int status = response.statusCode();
          String retryAfter = response.getHeader(HttpHeaders.RETRY_AFTER);
          // The body is read to the end so the connection can be reused; once the status is known,
          // a failure while reading it does not change the outcome.
          return response.end().transform(ar -> Future.succeededFuture(
              new Response(status, retryAfter, snippet.length() == 0 ? null : printable(snippet), null)));
        })
        .onComplete(ar -> {
          if (ar.succeeded()) {
            attempt.result.tryComplete(ar.result());
          } else {
            attempt.result.tryComplete(Response.failed(describe(ar.cause())));
          }
        });
  }

  Future<Void> close() {
    return client.close();
  }

  private static String printable(Buffer b) {
    String s = b.toString(java.nio.charset.StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    return out.toString().strip();
  }

  /** A short reason without stack traces; never contains the request's headers, so never a secret. */
  static String describe(Throwable err) {
    if (err instanceof TimeoutException) {
      return "timeout: " + err.getMessage();
    }
    String msg = err.getMessage();
    String kind = err.getClass().getSimpleName();
    if (err instanceof java.net.ConnectException || kind.contains("Connect")) {
      return "connection failed: " + (msg == null ? kind : msg);
    }
    return kind + (msg == null ? "" : ": " + msg);
  }
}
