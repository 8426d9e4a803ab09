package io.hookline.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.hookline.testing.TestNode;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tracing end to end on a real node: a test OTLP/HTTP receiver decodes the exported protobuf, a real
 * destination records the {@code traceparent} it is sent.
 */
class TracingTest {
  private static final String API_KEY = "tracing-test-key-0123456789";
  private static final String SERVICE = "hookline-trace-test";
  private static final String INGEST_SPAN = "POST /webhooks/{source}";

  private final OtlpReceiver receiver = new OtlpReceiver();
  private final Destination destination = new Destination();
  private TestNode node;

  @AfterEach
  void close() {
    if (node != null) {
      node.close();
    }
    receiver.close();
    destination.close();
  }

  private TestNode startNode(boolean tracing) {
    String yaml = (tracing
        ? "tracing: { otlpEndpoint: \"" + receiver.url() + "\", serviceName: " + SERVICE + ", exportDelay: 50ms }\n"
        : "")
        + "sources:\n"
        + "  - id: acme\n"
        + "    provider: apikey\n"
        + "    secrets: [\"" + API_KEY + "\"]\n"
        + "    apikey: { header: X-Api-Key }\n"
        + "    destinations:\n"
        + "      - { id: sink, url: \"" + destination.url() + "\", initialBackoff: 100ms, maxBackoff: 200ms }\n";
    node = TestNode.start(yaml);
    return node;
  }

  private String post(Map<String, String> extraHeaders) {
    Map<String, String> headers = new java.util.HashMap<>(extraHeaders);
    headers.put("X-Api-Key", API_KEY);
    byte[] body = ("{\"n\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r = node.post("acme", body, headers);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getString("id");
  }

  @Test
  void ingestAndDeliveryAttemptsAreOneTraceAndTheDestinationIsToldWhichOne() {
    destination.failFirst(1); // attempt 1 from the in-memory hand-off, attempt 2 claimed from PostgreSQL
    startNode(true);
    String eventId = post(Map.of());

    List<Destination.Received> got = poll("two attempts at the destination", () -> {
      List<Destination.Received> r = destination.receivedFor(eventId);
      return r.size() >= 2 ? r : null;
    });
    String[] first = got.get(0).traceparent().split("-");
    String[] second = got.get(1).traceparent().split("-");
    assertThat(first).hasSize(4);
    assertThat(first[0]).isEqualTo("00");
    assertThat(Integer.parseInt(first[3], 16) & 1).as("sampled flag").isEqualTo(1);
    assertThat(second[1]).isEqualTo(first[1]);
    String traceId = first[1];

    Span ingest = poll("the ingest span", () -> receiver.span(s -> s.getName().equals(INGEST_SPAN)
        && attribute(s, "hookline.event_id").equals(eventId)));
    assertThat(hex(ingest.getTraceId().toByteArray())).isEqualTo(traceId);
    assertThat(ingest.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(ingest.getParentSpanId().isEmpty()).isTrue();
    assertThat(attribute(ingest, "hookline.source")).isEqualTo("acme");
    for (String step : List.of("verify", "dedup", "commit")) {
      Span child = poll(step + " span", () -> receiver.span(s -> s.getName().equals(step)
          && s.getTraceId().equals(ingest.getTraceId())));
      assertThat(child.getParentSpanId()).as(step).isEqualTo(ingest.getSpanId());
    }
    for (String[] sent : List.of(first, second)) {
      Span attempt = poll("the attempt span " + sent[2], () -> receiver.span(s -> hex(s.getSpanId().toByteArray()).equals(sent[2])));
      assertThat(attempt.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
      assertThat(attempt.getTraceId()).isEqualTo(ingest.getTraceId());
      assertThat(attempt.getParentSpanId()).isEqualTo(ingest.getSpanId());
      assertThat(attribute(attempt, "hookline.destination")).isEqualTo("sink");
    }
    Map<String, String> resource = receiver.resourceOf(ingest);
    assertThat(resource).containsEntry("service.name", SERVICE)
        .containsEntry("service.instance.id", node.hookline.config().nodeId());
    assertThat(node.query("SELECT traceparent FROM {schema}.events WHERE id = $1", UUID.fromString(eventId))
        .iterator().next().getString(0)).startsWith("00-" + traceId + "-" + hex(ingest.getSpanId().toByteArray()));
  }

  @Test
  void aProvidersTraceparentIsContinued() {
    startNode(true);
    String providerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    String providerSpan = "00f067aa0ba902b7";
    String eventId = post(Map.of("traceparent", "00-" + providerTrace + "-" + providerSpan + "-01"));

    Destination.Received got = poll("the delivery", () -> destination.receivedFor(eventId).stream().findFirst().orElse(null));
    assertThat(got.traceparent()).startsWith("00-" + providerTrace + "-");
    Span ingest = poll("the ingest span", () -> receiver.span(s -> s.getName().equals(INGEST_SPAN)
        && attribute(s, "hookline.event_id").equals(eventId)));
    assertThat(hex(ingest.getTraceId().toByteArray())).isEqualTo(providerTrace);
    assertThat(hex(ingest.getParentSpanId().toByteArray())).isEqualTo(providerSpan);
  }

  @Test
  void withoutATracingSectionNothingIsTracedOrPropagated() {
    // Nodes of other tests in this JVM may still be flushing; none may be left once ours runs.
    poll("no span exporter thread from earlier tests", () -> exporterThreads() == 0 ? true : null);
    startNode(false);
    String eventId = post(Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));

    Destination.Received got = poll("the delivery", () -> destination.receivedFor(eventId).stream().findFirst().orElse(null));
    assertThat(got.traceparent()).isNull();
    assertThat(exporterThreads()).isZero();
    assertThat(receiver.requests.get()).isZero();
    assertThat(node.query("SELECT traceparent FROM {schema}.events WHERE id = $1", UUID.fromString(eventId))
        .iterator().next().getString(0)).isNull();
  }

  private static long exporterThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("BatchSpanProcessor")).count();
  }

  private static String attribute(Span s, String key) {
    return s.getAttributesList().stream().filter(kv -> kv.getKey().equals(key)).findFirst()
        .map(kv -> kv.getValue().getStringValue()).orElse("");
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static <T> T poll(String what, Supplier<T> probe) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      T v = probe.get();
      if (v != null) {
        return v;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not seen within 30 s: " + what);
      }
      try {
        Thread.sleep(20); // polling interval, not a wait for the outcome
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** An OTLP/HTTP trace receiver: decodes each ExportTraceServiceRequest and keeps its resource spans. */
  static final class OtlpReceiver implements AutoCloseable {
    final List<ResourceSpans> batches = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();
    private final HttpServer server;

    OtlpReceiver() {
      try {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      server.createContext("/v1/traces", exchange -> {
        requests.incrementAndGet();
        try (InputStream in = exchange.getRequestBody()) {
          boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
          byte[] bytes = (gzip ? new GZIPInputStream(in) : in).readAllBytes();
          batches.addAll(ExportTraceServiceRequest.parseFrom(bytes).getResourceSpansList());
          byte[] ok = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
          exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, ok.length == 0 ? -1 : ok.length);
          exchange.getResponseBody().write(ok);
        } catch (RuntimeException e) {
          exchange.sendResponseHeaders(400, -1);
        } finally {
          exchange.close();
        }
      });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    Span span(java.util.function.Predicate<Span> match) {
      for (ResourceSpans rs : batches) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          Optional<Span> s = ss.getSpansList().stream().filter(match).findFirst();
          if (s.isPresent()) {
            return s.get();
          }
        }
      }
      return null;
    }

    Map<String, String> resourceOf(Span span) {
      for (ResourceSpans rs : batches) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          if (ss.getSpansList().contains(span)) {
            Map<String, String> attributes = new java.util.HashMap<>();
            for (KeyValue kv : rs.getResource().getAttributesList()) {
              attributes.put(kv.getKey(), kv.getValue().getStringValue());
            }
            return attributes;
          }
        }
      }
      return Map.of();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /** A real destination: records each request's webhook-id and traceparent; can fail the first few. */
  static final class Destination implements AutoCloseable {
    record Received(String webhookId, String traceparent) {}

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final HttpServer server;

    Destination() {
      try {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      server.createContext("/hook", exchange -> {
        try (InputStream in = exchange.getRequestBody()) {
          in.readAllBytes();
          received.add(new Received(exchange.getRequestHeaders().getFirst("webhook-id"),
              exchange.getRequestHeaders().getFirst("traceparent")));
          exchange.sendResponseHeaders(failuresLeft.getAndDecrement() > 0 ? 503 : 200, -1);
        } finally {
          exchange.close();
        }
      });
      server.start();
    }

    void failFirst(int n) {
      failuresLeft.set(n);
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<Received> receivedFor(String eventId) {
      return received.stream().filter(r -> eventId.equals(r.webhookId())).toList();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
