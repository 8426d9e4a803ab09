package io.hookline.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.cli.EventSigner;
import io.hookline.testing.Eventually;
import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CEL filters and transforms end to end: real node, PostgreSQL, Redis and HTTP destinations, with
 * Stripe-, GitHub- and Shopify-shaped payloads.
 */
class FiltersAndTransformsTest {
  private static final String STRIPE_SECRET = "whsec_filters_stripe_secret";
  private static final String GITHUB_SECRET = "github-filters-secret";
  private static final String SHOPIFY_SECRET = "shopify-filters-secret";
  private static final String TOKEN = "filters-admin-token-0123456789";
  private static final String SIGNING = "whsec_" + Base64.getEncoder().encodeToString(
      "destination-signing-key-0123456789".getBytes(StandardCharsets.UTF_8));

  static String invoice(String id, long amount) {
    return """
        {"id":"%s","type":"invoice.paid","account":"acct_9","data":{"object":{"id":"in_%s","customer":"cus_7","amount_paid":%d}}}"""
        .formatted(id, id, amount);
  }

  @Test
  void filtersRouteAndTransformsRewriteWhatIsSent() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestDestination big = TestDestination.start(vertx, r -> TestDestination.Reply.status(200));
         TestDestination guarded = TestDestination.start(vertx, r -> TestDestination.Reply.status(200));
         TestDestination broken = TestDestination.start(vertx, r -> TestDestination.Reply.status(200));
         TestDestination pulls = TestDestination.start(vertx, r -> TestDestination.Reply.status(200));
         TestDestination orders = TestDestination.start(vertx, r -> TestDestination.Reply.status(200));
         TestNode node = TestNode.start("""
             http: { port: 0, instances: 2 }
             delivery: { pollInterval: 200ms }
             sources:
               - id: stripe
                 provider: stripe
                 secrets: ["%s"]
                 destinations:
                   - id: big
                     url: "%s/hooks?x=1"
                     signingSecret: "%s"
                     filter: 'type == "invoice.paid" && body.data.object.amount_paid >= 10000'
                     transform:
                       body: '{"invoice": body.data.object.id, "amount": body.data.object.amount_paid}'
                       headers: { X-Customer: 'body.data.object.customer' }
                       path: '"/tenants/" + body.account'
                   - id: guarded
                     url: "%s"
                     filter: 'body.data.object.tier == "gold"'
                   - id: broken
                     url: "%s"
                     maxAttempts: 5
                     circuitBreaker: { failures: 1, cooldown: 60s }
                     transform: { body: 'body.data.object.lines.total' }
               - id: github
                 provider: github
                 secrets: ["%s"]
                 destinations:
                   - id: pulls
                     url: "%s"
                     filter: 'headers["x-github-event"] == "ping" && body.repository.full_name.startsWith("acme/")'
               - id: shopify
                 provider: shopify
                 secrets: ["%s"]
                 destinations:
                   - id: orders
                     url: "%s"
                     filter: 'double(body.total_price) >= 100.0 && body.shipping_address.country_code in ["DE", "AT"]'
             """.formatted(STRIPE_SECRET, big.url(), SIGNING, guarded.url(), broken.url(), GITHUB_SECRET, pulls.url(),
                 SHOPIFY_SECRET, orders.url()),
             Map.of("HOOKLINE_MANAGEMENT_ADMIN_TOKEN", TOKEN), TestServices.pgUrl())) {
      String bigId = post(node, "stripe", STRIPE_SECRET, "evt_big", invoice("evt_big", 12500));
      String smallId = post(node, "stripe", STRIPE_SECRET, "evt_small", invoice("evt_small", 500));
      String acme = post(node, "github", GITHUB_SECRET, "gh-1", "{\"repository\":{\"full_name\":\"acme/api\"}}");
      post(node, "github", GITHUB_SECRET, "gh-2", "{\"repository\":{\"full_name\":\"other/api\"}}");
      String germany = post(node, "shopify", SHOPIFY_SECRET, "sh-1",
          "{\"id\":1,\"total_price\":\"199.00\",\"shipping_address\":{\"country_code\":\"DE\"}}");
      post(node, "shopify", SHOPIFY_SECRET, "sh-2",
          "{\"id\":2,\"total_price\":\"19.00\",\"shipping_address\":{\"country_code\":\"DE\"}}");

      Eventually.within(Duration.ofSeconds(30), () -> big.received().size() == 1 && pulls.received().size() == 1
          && orders.received().size() == 1, "the matching events delivered");
      // Filters: only matching events got a delivery row at all.
      assertThat(pulls.received().get(0).eventId()).isEqualTo(acme);
      assertThat(orders.received().get(0).eventId()).isEqualTo(germany);
      assertThat(node.count("SELECT count(*) FROM {schema}.deliveries WHERE destination_id = 'big'")).isEqualTo(1);
      assertThat(node.count("SELECT count(*) FROM {schema}.deliveries WHERE destination_id = 'guarded'")).isZero();

      // The transform: JSON body, extra header, path suffix before the query, signature over the sent body.
      TestDestination.Received r = big.received().get(0);
      assertThat(r.eventId()).isEqualTo(bigId);
      assertThat(new JsonObject(r.body())).isEqualTo(new JsonObject("{\"invoice\":\"in_evt_big\",\"amount\":12500}"));
      assertThat(r.headers().get("content-type")).isEqualTo("application/json");
      assertThat(r.headers().get("x-customer")).isEqualTo("cus_7");
      assertThat(r.uri()).isEqualTo("/hook/hooks/tenants/acct_9?x=1");
      long ts = Long.parseLong(r.headers().get("webhook-timestamp"));
      assertThat(r.headers().get("webhook-signature")).isEqualTo(StandardWebhooksSigner.sign(
          StandardWebhooksSigner.keyFromSecret(SIGNING), bigId, ts, r.body().getBytes()));
      // The stored bytes are the original ones.
      Row stored = node.query("SELECT body FROM {schema}.events WHERE id = $1::uuid", bigId).iterator().next();
      assertThat(new String(stored.getBuffer(0).getBytes(), StandardCharsets.UTF_8)).isEqualTo(invoice("evt_big", 12500));

      // A failing transform: dead at once, transform_failed with CEL's message, nothing sent, no retries.
      Eventually.within(Duration.ofSeconds(30), () -> node.count(
          "SELECT count(*) FROM {schema}.deliveries WHERE destination_id = 'broken' AND status = 'dead'") == 2,
          "both stripe events dead at the broken transform");
      assertThat(broken.received()).isEmpty();
      Row dead = node.query("SELECT attempts, last_error FROM {schema}.deliveries WHERE destination_id = 'broken'"
          + " AND event_id = $1::uuid", bigId).iterator().next();
      assertThat(dead.getInteger(0)).isEqualTo(1);
      assertThat(dead.getString(1)).startsWith("transform_failed: body: ").contains("lines");
      assertThat(node.count("SELECT count(*) FROM {schema}.delivery_attempts WHERE destination_id = 'broken'"
          + " AND outcome = 'transform_failed'")).isEqualTo(2);

      // Not the destination's failure: its circuit stays closed.
      JsonObject broken1 = adminGet(node, "/admin/api/destinations").getJsonArray("destinations").stream()
          .map(o -> (JsonObject) o).filter(o -> o.getString("id").equals("broken")).findFirst().orElseThrow();
      assertThat(broken1.getString("state")).isEqualTo("closed");

      // The admin detail: filtered destinations, and the failed filter's error.
      JsonObject detail = adminGet(node, "/admin/api/events/" + bigId);
      assertThat(detail.getJsonArray("filtered").getList()).containsExactly("guarded");
      assertThat(detail.getJsonObject("filterErrors").getString("guarded")).contains("tier");
      JsonObject small = adminGet(node, "/admin/api/events/" + smallId);
      assertThat(small.getJsonArray("filtered").getList()).containsExactly("big", "guarded");
      assertThat(small.getJsonObject("filterErrors").containsKey("big")).isFalse();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  /**
   * A handed-off attempt runs its transform on the event as the filter saw it at arrival: it needs no
   * read of the event back (here the row is gone before the attempt starts, and it is still delivered,
   * transformed), and it sees the headers as stored, without the credentials, as a claimed retry would.
   */
  @Test
  void aHandedOffTransformNeedsNoReadOfTheEventAndSeesTheHeadersAsStored() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestDestination sink = TestDestination.start(vertx,
             r -> "gh-first".equals(r.headers().get("x-provider-id")) ? TestDestination.Reply.delayed(200, 3000)
                 : TestDestination.Reply.status(200));
         TestNode node = TestNode.start("""
             sources:
               - id: github
                 provider: github
                 secrets: ["%s"]
                 destinations:
                   - id: one-at-a-time
                     url: "%s"
                     maxInFlight: 1
                     filter: 'body.ref == "refs/heads/main"'
                     transform:
                       body: '{"ref": body.ref, "type": type}'
                       headers:
                         X-Provider-Id: 'providerEventId'
                         X-Auth: '"authorization" in headers ? "seen" : "absent"'
                         X-Event: 'headers["x-github-event"]'
             """.formatted(GITHUB_SECRET, sink.url()), Map.of(), TestServices.pgUrl())) {
      String body = "{\"ref\":\"refs/heads/main\"}";
      postWithCredential(node, "gh-first", body);
      Eventually.within(Duration.ofSeconds(30), () -> sink.received().size() == 1, "the first attempt under way");
      // The second event waits in memory behind the first (maxInFlight 1) while its row is deleted.
      String second = postWithCredential(node, "gh-second", body);
      assertThat(node.count("SELECT count(*) FROM {schema}.deliveries WHERE event_id = '" + second
          + "'::uuid AND attempts = 1 AND lease_owner IS NOT NULL")).as("handed off, leased").isEqualTo(1);
      node.query("DELETE FROM {schema}.events WHERE id = $1::uuid", second);

      Eventually.within(Duration.ofSeconds(30), () -> sink.received().size() == 2, "the second event delivered");
      TestDestination.Received r = sink.received().get(1);
      assertThat(r.eventId()).isEqualTo(second);
      assertThat(new JsonObject(r.body())).isEqualTo(new JsonObject("{\"ref\":\"refs/heads/main\",\"type\":\"ping\"}"));
      assertThat(r.headers().get("x-provider-id")).isEqualTo("gh-second");
      assertThat(r.headers().get("x-event")).isEqualTo("ping");
      assertThat(r.headers().get("x-auth")).as("credentials are not stored, so no expression sees them").isEqualTo("absent");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static String postWithCredential(TestNode node, String eventId, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new java.util.HashMap<>(
        EventSigner.sign("github", GITHUB_SECRET, bytes, eventId, System.currentTimeMillis() / 1000));
    headers.put("Authorization", "Bearer a-credential-no-destination-may-see");
    HttpResponse<String> r = node.post("github", bytes, headers);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getString("id");
  }

  static String post(TestNode node, String source, String secret, String eventId, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = EventSigner.sign(source, secret, bytes, eventId, System.currentTimeMillis() / 1000);
    HttpResponse<String> r = node.post(source, bytes, headers);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getString("id");
  }

  static JsonObject adminGet(TestNode node, String path) throws Exception {
    HttpResponse<String> r = node.http.send(HttpRequest.newBuilder(URI.create(node.managementUrl() + path))
        .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }
}
