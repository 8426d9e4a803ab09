package io.hookline.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.cli.EventSigner;
import io.hookline.config.ConfigException;
import io.hookline.config.ConfigLoader;
import io.hookline.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** eventTypes: each event reaches exactly the destinations whose patterns match its type, at real HTTP destinations. */
class EventTypeRoutingTest {
  private static final String SECRET = "whsec_routing_test_secret";
  private static final String TOKEN = "routing-admin-token-0123456789";

  @Test
  void globsMatchRunsOfCharactersOnly() {
    EventTypeFilter f = new EventTypeFilter(List.of("invoice.*", "customer.subscription.updated", "*.deleted", "a*b*c"));
    assertThat(f.matches("invoice.paid")).isTrue();
    assertThat(f.matches("invoice.")).isTrue();
    assertThat(f.matches("invoices.paid")).isFalse();
    assertThat(f.matches("customer.subscription.updated")).isTrue();
    assertThat(f.matches("customer.subscription.updated2")).isFalse();
    assertThat(f.matches("customer.deleted")).isTrue();
    assertThat(f.matches("abc")).isTrue();
    assertThat(f.matches("axxbyyc")).isTrue();
    assertThat(f.matches("ac")).isFalse();
    assertThat(f.matches("abcab")).isFalse();
    assertThat(f.matches(null)).isFalse();
    assertThat(new EventTypeFilter(List.of("*")).matches("anything")).isTrue();
  }

  @Test
  void aBadPatternIsAConfigErrorNamingTheField() {
    String yaml = """
        sources:
          - id: stripe
            provider: stripe
            secrets: ["x"]
            destinations:
              - { url: "http://127.0.0.1:9/a" }
              - { url: "http://127.0.0.1:9/b", eventTypes: ["invoice.*", "bad pattern"] }
        """;
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("sources[0].destinations[1].eventTypes[1]").hasMessageContaining("whitespace");
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(yaml.replace("[\"invoice.*\", \"bad pattern\"]", "[]")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sources[0].destinations[1].eventTypes");
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(yaml.replace("\"bad pattern\"", "\"\"")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sources[0].destinations[1].eventTypes[1]");
    // The other destination controls name their fields too.
    String controls = yaml.replace("eventTypes: [\"invoice.*\", \"bad pattern\"]", "%s");
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(controls.formatted("rateLimit: 20/h")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sources[0].destinations[1].rateLimit")
        .hasMessageContaining("100/s");
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(controls.formatted("circuitBreaker: { failures: 0 }")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sources[0].destinations[1].circuitBreaker.failures");
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(controls.formatted("circuitBreaker: { cooldwn: 5s }")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sources[0].destinations[1].circuitBreaker.cooldwn");
    var ok = new ConfigLoader(Map.of()).load(controls.formatted("rateLimit: 600/min, circuitBreaker: { cooldown: 5s }"))
        .sources().get(0).destinations().get(1);
    assertThat(ok.rateLimit().intervalMillis()).isEqualTo(100.0);
    assertThat(ok.circuitBreaker().failures()).isEqualTo(20);
    assertThat(ok.circuitBreaker().cooldown()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void eachEventReachesExactlyTheMatchingDestinations() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestDestination billing = TestDestination.start(vertx, r -> TestDestination.Reply.status(200));
         TestDestination everything = TestDestination.start(vertx, r -> TestDestination.Reply.status(200));
         TestNode node = TestNode.start("""
             http: { port: 0, instances: 2 }
             delivery: { pollInterval: 200ms }
             sources:
               - id: stripe
                 provider: stripe
                 secrets: ["%s"]
                 destinations:
                   - { id: billing, url: "%s", eventTypes: ["invoice.*"] }
                   - { id: all, url: "%s" }
             """.formatted(SECRET, billing.url(), everything.url()),
             Map.of("HOOKLINE_MANAGEMENT_ADMIN_TOKEN", TOKEN), io.hookline.testing.TestServices.pgUrl())) {
      Map<String, String> types = Map.of("evt_1", "invoice.paid", "evt_2", "invoice.created", "evt_3", "customer.created",
          "evt_4", "invoiced", "evt_5", "charge.succeeded");
      Map<String, String> hooklineIds = new java.util.HashMap<>();
      for (Map.Entry<String, String> e : types.entrySet()) {
        byte[] body = ("{\"id\":\"" + e.getKey() + "\",\"type\":\"" + e.getValue() + "\",\"object\":\"event\"}")
            .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = node.post("stripe", body,
            EventSigner.sign("stripe", SECRET, body, e.getKey(), System.currentTimeMillis() / 1000));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        hooklineIds.put(e.getKey(), new JsonObject(r.body()).getString("id"));
      }
      Set<String> invoices = Set.of(hooklineIds.get("evt_1"), hooklineIds.get("evt_2"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while ((everything.received().size() < 5 || billing.received().size() < 2) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(everything.received().stream().map(TestDestination.Received::eventId).collect(Collectors.toSet()))
          .isEqualTo(Set.copyOf(hooklineIds.values()));
      assertThat(billing.received().stream().map(TestDestination.Received::eventId).collect(Collectors.toSet()))
          .isEqualTo(invoices);
      // A filtered destination has no delivery row at all (nothing pending forever, nothing to claim).
      assertThat(node.count("SELECT count(*) FROM {schema}.deliveries WHERE destination_id = 'billing'")).isEqualTo(2);
      assertThat(node.count("SELECT count(*) FROM {schema}.deliveries WHERE destination_id = 'all'")).isEqualTo(5);

      // The admin API's event detail names the destinations that filtered the event out.
      JsonObject customer = adminGet(node, "/admin/api/events/" + hooklineIds.get("evt_3"));
      assertThat(customer.getJsonArray("filtered").getList()).containsExactly("billing");
      assertThat(customer.getJsonArray("deliveries").size()).isEqualTo(1);
      JsonObject invoice = adminGet(node, "/admin/api/events/" + hooklineIds.get("evt_1"));
      assertThat(invoice.getJsonArray("filtered").getList()).isEmpty();
      assertThat(invoice.getJsonArray("deliveries").size()).isEqualTo(2);
      // Nothing arrived twice or late: only the matching destination got invoices.
      assertThat(billing.received()).hasSize(2);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static JsonObject adminGet(TestNode node, String path) throws Exception {
    HttpResponse<String> r = node.http.send(HttpRequest.newBuilder(URI.create(node.managementUrl() + path))
        .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }
}
