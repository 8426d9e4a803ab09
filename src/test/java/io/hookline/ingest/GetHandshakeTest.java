package io.hookline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.config.ConfigLoader;
import io.hookline.config.HooklineConfig;
import io.hookline.metrics.MicrometerIngestMetrics;
import io.hookline.verify.Reason;
import io.hookline.verify.SignatureVerifier;
import io.hookline.verify.Verification;
import io.hookline.verify.VerifierSpec;
import io.hookline.verify.provider.Verifiers;
import io.hookline.verify.WebhookRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /webhooks/{sourceId}} over real HTTP, routed as IngestVerticle routes it: the source's
 * verifier answers its GET handshake (method and decoded query visible to it), a wrong token is
 * refused with its reason, a provider without a GET handshake answers 405 as before, an unknown
 * source 404. The handler has no store or Redis to reach: a handshake cannot store anything.
 */
class GetHandshakeTest {
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static final HooklineConfig CONFIG = new ConfigLoader(Map.of()).load("""
      sources:
        - { id: echo, provider: hmac, secrets: [s], hmac: { header: X-Sig } }
        - { id: gh, provider: github, secrets: [s] }
      """);

  /** A GET handshake in the shape of Meta's: echo the challenge when the verify token matches. */
  final AtomicInteger posts = new AtomicInteger();
  final SignatureVerifier echo = new SignatureVerifier() {
    @Override
    public Verification verify(WebhookRequest request) {
      posts.incrementAndGet();
      return Verification.accepted("x", null);
    }

    @Override
    public Verification answerGet(WebhookRequest request) {
      List<String> token = request.queryParams("hub.verify_token");
      List<String> challenge = request.queryParams("hub.challenge");
      if (!request.method().equals("GET") || !token.equals(List.of("right token")) || challenge.size() != 1) {
        return Verification.rejected(Reason.INVALID_SIGNATURE, "hub.verify_token does not match");
      }
      return Verification.handshake(challenge.get(0).getBytes(StandardCharsets.UTF_8), "text/plain");
    }
  };

  Vertx vertx;
  SimpleMeterRegistry registry;
  String base;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    registry = new SimpleMeterRegistry();
    MicrometerIngestMetrics metrics = new MicrometerIngestMetrics(registry, List.of("echo", "gh"),
        Map.of("echo", "hmac", "gh", "github"));
    Map<String, SourceRuntime> sources = Map.of(
        "echo", SourceRuntime.of(CONFIG.source("echo"), echo),
        "gh", SourceRuntime.of(CONFIG.source("gh"), Verifiers.create(VerifierSpec.of(CONFIG.source("gh")))));
    Router router = Router.router(vertx);
    router.post("/webhooks/:sourceId").handler(ctx -> ctx.response().setStatusCode(500).end("POST route reached"));
    router.get("/webhooks/:sourceId").handler(new GetHandshakeHandler(sources, metrics, new PublicUrl(new HashSet<>())));
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

  HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  double count(String source, String outcome) {
    return registry.get("hookline.requests").tag("source", source).tag("outcome", outcome).counter().count();
  }

  @Test
  void theProvidersGetHandshakeIsAnsweredWithTheDecodedChallengeAndNothingElseRuns() throws Exception {
    HttpResponse<String> r = get("/webhooks/echo?hub.mode=subscribe&hub.verify_token=right%20token&hub.challenge=c%2B1%3D");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("c+1=");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(posts).hasValue(0);
    assertThat(count("echo", "handshake")).isEqualTo(1);
  }

  @Test
  void aWrongTokenIsRefusedWithItsReason() throws Exception {
    HttpResponse<String> r = get("/webhooks/echo?hub.verify_token=wrong&hub.challenge=c");
    assertThat(r.statusCode()).isEqualTo(401);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("reason")).isEqualTo("invalid_signature");
    assertThat(body.getString("error")).contains("verify_token");
    assertThat(count("echo", "invalid_signature")).isEqualTo(1);
  }

  @Test
  void aProviderWithoutAGetHandshakeAnswers405AsBefore() throws Exception {
    HttpResponse<String> r = get("/webhooks/gh?challenge=c");
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("method_not_allowed");
  }

  @Test
  void anUnknownSourceIs404() throws Exception {
    HttpResponse<String> r = get("/webhooks/nope?challenge=c");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("unknown_source");
  }
}
