package io.hookline.delivery;

import io.hookline.config.HooklineConfig.DestinationConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.concurrent.TimeoutException;

/** An HTTP destination: POSTs the message, its metadata as headers; a 2xx is delivered. Its own connection pool. */
final class HttpDestination implements Destination {
  static final String USER_AGENT = "Hookline/1";
  /** How much of a failed response's body is kept in last_error / the attempt row. */
  private static final int ERROR_BODY_BYTES = 256;

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
  private final HttpClientAgent client;

  HttpDestination(Vertx vertx, String sourceId, DestinationConfig config) {
    this.target = Url.parse(config.url());
    long timeoutMs = config.timeout().toMillis();
    this.client = vertx.createHttpClient(
        new HttpClientOptions()
            .setKeepAlive(true)
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
            .setName("hookline-delivery-" + sourceId + "/" + config.id()),
        // The permits never let more than maxInFlight attempts at this destination run at once,
        // so the pool never makes a request wait for a connection.
        new PoolOptions().setHttp1MaxSize(config.maxInFlight()).setHttp2MaxSize(1));
  }

  @Override
  public String kind() {
    return "http";
  }

  /** POSTs the message: its body and content type, the Standard Webhooks headers, a transform's headers, the attempt number. */
  @Override
  public void send(DeliveryMessage m, InFlight attempt) {
    // The URL is parsed once (target); the attempt's own timer bounds connect, send and answer,
    // so the request sets no timeouts of its own (each would be one more timer per attempt).
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setSsl(target.ssl())
        .setHost(target.host())
        .setPort(target.port())
        .setURI(target.withPathSuffix(m.pathSuffix()))
        .putHeader(HttpHeaders.USER_AGENT, USER_AGENT)
        .putHeader("Hookline-Attempt", Integer.toString(m.attempt()));
    m.forEachHeader(options::putHeader);
    client.request(options)
        .compose(request -> {
          attempt.onAbort(() -> request.reset(0, new IllegalStateException("attempt cut short")));
          // Failures reach the send future; without a handler a reset would also be logged as an error.
          request.exceptionHandler(err -> { });
          if (attempt.isComplete()) {
            // Timed out or aborted while waiting for a connection: do not send at all.
            request.reset();
            return Future.failedFuture(new TimeoutException("cancelled before sending"));
          }
          return request.send(m.body());
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
              new AttemptResponse(status, retryAfter, snippet.length() == 0 ? null : printable(snippet), null)));
        })
        .onComplete(ar -> attempt.complete(ar.succeeded() ? ar.result()
            : AttemptResponse.failed(DestinationTarget.describe(ar.cause()))));
  }

  @Override
  public Future<Void> close() {
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
}
