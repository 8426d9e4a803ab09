package io.hookline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.hookline.metrics.MicrometerIngestMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The public port's error renderer on a real HTTP server, routed as IngestVerticle routes it: an
 * unexpected failure (no real input reaches one, so a route built here throws, as a bug would)
 * answers 500 {@code internal_error}, is counted, and is logged rate-limited with a summary of the
 * rest; the router's own 404 and 405 answers are counted too.
 */
class ErrorRendererTest {
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final String source = "bug-" + System.nanoTime();
  Vertx vertx;
  SimpleMeterRegistry registry;
  String base;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    registry = new SimpleMeterRegistry();
    MicrometerIngestMetrics metrics = new MicrometerIngestMetrics(registry, List.of(source), Map.of(source, "github"));
    Router router = Router.router(vertx);
    router.post("/webhooks/:sourceId").handler(ctx -> {
      ctx.put(ErrorRenderer.START_KEY, System.nanoTime());
      ctx.put(ErrorRenderer.SOURCE_KEY, source);
      throw new IllegalStateException("a bug");
    });
    ErrorRenderer renderer = new ErrorRenderer(metrics, 1);
    router.route().failureHandler(renderer);
    router.errorHandler(404, renderer);
    router.errorHandler(405, renderer);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    base = "http://127.0.0.1:" + server.actualPort();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  HttpResponse<String> send(String method, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.ofString("{}"))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  double count(String sourceLabel, String outcome) {
    return registry.get("hookline.requests").tag("source", sourceLabel).tag("outcome", outcome).counter().count();
  }

  @Test
  void anUnexpectedFailureIs500InternalErrorCountedAndLoggedRateLimited() throws Exception {
    Logger logger = (Logger) RejectionLog.LOG;
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    logger.addAppender(captured);
    try {
      int requests = 100;
      for (int i = 0; i < requests; i++) {
        HttpResponse<String> r = send("POST", "/webhooks/" + source);
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("reason")).isEqualTo("internal_error");
        assertThat(body.getString("error")).contains("internal error").doesNotContain("a bug");
      }
      assertThat(count(source, "internal_error")).isEqualTo(requests);

      Pattern summary = Pattern.compile("rejected source=" + source + " reason=internal_error: (\\d+) more");
      long deadline = System.nanoTime() + 10_000_000_000L;
      long lines;
      long summarised;
      do {
        RejectionLog.reportSuppressed(); // at most once a second, whoever calls it
        List<ILoggingEvent> events;
        synchronized (captured) {
          events = List.copyOf(captured.list);
        }
        lines = events.stream().filter(e -> e.getFormattedMessage().startsWith("unexpected failure on POST /webhooks/" + source))
            .count();
        summarised = 0;
        for (ILoggingEvent e : events) {
          Matcher s = summary.matcher(e.getFormattedMessage());
          summarised += s.find() ? Long.parseLong(s.group(1)) : 0;
        }
        if (lines + summarised == requests) {
          break;
        }
        Thread.sleep(50);
      } while (System.nanoTime() - deadline < 0);
      assertThat(lines + summarised).as("lines %d + summarised %d", lines, summarised).isEqualTo(requests);
      // At most a key's budget per second (the loop may straddle a few seconds), far below one per request.
      assertThat(lines).isBetween(1L, 3L * RejectionLog.LINES_PER_SECOND_PER_KEY);
      synchronized (captured) {
        ILoggingEvent first = captured.list.stream()
            .filter(e -> e.getFormattedMessage().startsWith("unexpected failure on POST /webhooks/" + source)).findFirst().orElseThrow();
        assertThat(first.getLevel().toString()).isEqualTo("ERROR");
        assertThat(first.getThrowableProxy().getClassName()).isEqualTo(IllegalStateException.class.getName());
      }
    } finally {
      logger.detachAppender(captured);
    }
  }

  @Test
  void noSuchRouteAndWrongMethodAreAnsweredAndCounted() throws Exception {
    HttpResponse<String> notFound = send("GET", "/nowhere");
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(notFound.body()).getString("reason")).isEqualTo("not_found");
    HttpResponse<String> wrongMethod = send("PUT", "/webhooks/" + source);
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(new JsonObject(wrongMethod.body()).getString("reason")).isEqualTo("method_not_allowed");
    assertThat(count(IngestMetrics.UNKNOWN_SOURCE_LABEL, "not_found")).isEqualTo(1);
    assertThat(count(IngestMetrics.UNKNOWN_SOURCE_LABEL, "method_not_allowed")).isEqualTo(1);
    assertThat(count(source, "internal_error")).isZero();
  }
}
