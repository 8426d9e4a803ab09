package io.hookline.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.testing.Eventually;
import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin API's trying and re-routing of filters: {@code POST /admin/api/destinations/{s}/{d}/test}
 * (nothing sent or stored) and {@code POST /admin/api/replay} with {@code status: ["filtered"]} after
 * the filter changed (a second node on the same database runs the new configuration).
 */
class FilteredReplayTest {
  private static final String SECRET = "whsec_filtered_replay_secret";
  private static final String TOKEN = "filtered-replay-admin-token-0123";

  static String config(String bigUrl, String allUrl, String minimum) {
    return """
        delivery: { pollInterval: 200ms }
        sources:
          - id: stripe
            provider: stripe
            secrets: ["%s"]
            destinations:
              - id: big
                url: "%s"
                filter: 'body.data.object.amount_paid >= %s'
              - id: all
                url: "%s"
        """.formatted(SECRET, bigUrl, minimum, allUrl);
  }

  @Test
  void filteredEventsComeBackOnceWhenTheFilterNowMatchesAndTheTestCallTriesCandidates() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestDestination big = TestDestination.start(vertx, r -> TestDestination.Reply.status(200));
         TestDestination all = TestDestination.start(vertx, r -> TestDestination.Reply.status(200));
         TestNode before = TestNode.start(config(big.url(), all.url(), "10000"),
             Map.of("HOOKLINE_MANAGEMENT_ADMIN_TOKEN", TOKEN), TestServices.pgUrl())) {
      String small = FiltersAndTransformsTest.post(before, "stripe", SECRET, "evt_small",
          FiltersAndTransformsTest.invoice("evt_small", 500));
      String large = FiltersAndTransformsTest.post(before, "stripe", SECRET, "evt_large",
          FiltersAndTransformsTest.invoice("evt_large", 12500));
      Eventually.within(Duration.ofSeconds(30), () -> all.received().size() == 2 && big.received().size() == 1,
          "first routing delivered");
      // The same database, today's configuration: the filter now lets small invoices through.
      try (TestNode after = TestNode.start(config(big.url(), all.url(), "100"),
          Map.of("HOOKLINE_MANAGEMENT_ADMIN_TOKEN", TOKEN, "HOOKLINE_POSTGRES_SCHEMA", before.schemaName(),
              "HOOKLINE_REDIS_KEY_PREFIX", before.keyPrefix()), TestServices.pgUrl())) {
        tryingFilters(after, small);
        listingFiltered(after, small);

        JsonObject dry = post(after, "/admin/api/replay", "{\"status\":[\"filtered\"],\"dryRun\":true}", 200);
        assertThat(dry.getLong("matched")).isEqualTo(1);
        JsonObject job = post(after, "/admin/api/replay", "{\"status\":[\"filtered\"],\"source\":\"stripe\"}", 202);
        assertThat(job.getLong("matched")).isEqualTo(1);
        awaitJob(after, job.getString("job"), 1);
        Eventually.within(Duration.ofSeconds(30), () -> big.received().size() == 2, "the re-routed event delivered");
        assertThat(big.receivedFor(small)).hasSize(1);
        assertThat(big.receivedFor(large)).hasSize(1);

        // Twice in a row creates no second delivery.
        JsonObject again = post(after, "/admin/api/replay", "{\"status\":[\"filtered\"]}", 202);
        assertThat(again.getLong("matched")).isZero();
        awaitJob(after, again.getString("job"), 0);
        assertThat(after.count("SELECT count(*) FROM {schema}.deliveries WHERE destination_id = 'big'")).isEqualTo(2);
        assertThat(all.received()).hasSize(2);
        assertThat(events(after, "status=filtered")).isEmpty();

        JsonObject mixed = post(after, "/admin/api/replay", "{\"status\":[\"filtered\",\"dead\"]}", 400);
        assertThat(mixed.getString("parameter")).isEqualTo("status");
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  /** {@code GET /admin/api/events?status=filtered}: the events a configured destination has no delivery for. */
  private static void listingFiltered(TestNode node, String small) throws Exception {
    assertThat(events(node, "status=filtered")).containsExactly(small);
    assertThat(events(node, "status=filtered&source=stripe&destination=big&since=1h")).containsExactly(small);
    assertThat(events(node, "status=filtered&destination=all")).isEmpty();
    assertThat(events(node, "status=delivered&destination=big")).doesNotContain(small);
    HttpResponse<String> mixed = node.http.send(HttpRequest.newBuilder(URI.create(node.managementUrl()
            + "/admin/api/events?status=filtered,dead")).header("Authorization", "Bearer " + TOKEN).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(mixed.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(mixed.body()).getString("parameter")).isEqualTo("status");
  }

  private static List<String> events(TestNode node, String query) {
    return get(node, "/admin/api/events?" + query).getJsonArray("events").stream()
        .map(e -> ((JsonObject) e).getString("id")).toList();
  }

  private static void tryingFilters(TestNode node, String small) throws Exception {
    String test = "/admin/api/destinations/stripe/big/test";
    long before = node.count("SELECT count(*) FROM {schema}.deliveries");
    JsonObject configured = post(node, test, "{\"event\":\"" + small + "\"}", 200);
    assertThat(configured.getBoolean("matched")).isTrue();
    assertThat(configured.getJsonObject("body").getString("id")).isEqualTo("evt_small");
    assertThat(configured.getValue("error")).isNull();

    JsonObject candidate = post(node, test, "{\"event\":\"" + small + "\",\"filter\":\"body.data.object.amount_paid >= 100000\","
        + "\"transform\":{\"body\":\"{'invoice': body.data.object.id}\",\"headers\":{\"X-Type\":\"type\"},"
        + "\"path\":\"'/t/' + body.account\"}}", 200);
    assertThat(candidate.getBoolean("matched")).isFalse();
    assertThat(candidate.getJsonObject("body")).isEqualTo(new JsonObject().put("invoice", "in_evt_small"));
    assertThat(candidate.getJsonObject("headers").getString("content-type")).isEqualTo("application/json");
    assertThat(candidate.getString("path")).isEqualTo("/t/acct_9");

    JsonObject failing = post(node, test, "{\"event\":\"" + small + "\",\"filter\":\"body.nope.x == 1\"}", 200);
    assertThat(failing.getBoolean("matched")).isFalse();
    assertThat(failing.getString("error")).contains("nope");

    JsonObject given = post(node, test, "{\"body\":{\"n\":3},\"headers\":{\"X-A\":\"1\"},"
        + "\"filter\":\"headers['x-a'] == '1' && body.n == 3\"}", 200);
    assertThat(given.getBoolean("matched")).isTrue();

    JsonObject bad = post(node, test, "{\"event\":\"" + small + "\",\"transform\":{\"path\":\"body.(\"}}", 400);
    assertThat(bad.getString("reason")).isEqualTo("bad_parameter");
    assertThat(bad.getString("parameter")).isEqualTo("transform.path");
    assertThat(bad.getString("error")).contains("is not a valid CEL expression");
    assertThat(post(node, test, "{\"event\":\"nope\"}", 400).getString("parameter")).isEqualTo("event");
    assertThat(post(node, "/admin/api/destinations/stripe/nope/test", "{\"event\":\"" + small + "\"}", 404)
        .getString("reason")).isEqualTo("not_found");
    // Nothing was sent or stored.
    assertThat(node.count("SELECT count(*) FROM {schema}.deliveries")).isEqualTo(before);
  }

  private static void awaitJob(TestNode node, String job, long replayed) {
    Eventually.within(Duration.ofSeconds(30), () -> {
      JsonObject j = get(node, "/admin/api/replay/" + job);
      return "done".equals(j.getString("state")) && j.getLong("replayed") == replayed;
    }, () -> "job " + job + " done with " + replayed + " re-routed: " + get(node, "/admin/api/replay/" + job));
  }

  static JsonObject post(TestNode node, String path, String body, int status) throws Exception {
    HttpResponse<String> r = node.http.send(HttpRequest.newBuilder(URI.create(node.managementUrl() + path))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return new JsonObject(r.body());
  }

  static JsonObject get(TestNode node, String path) {
    try {
      HttpResponse<String> r = node.http.send(HttpRequest.newBuilder(URI.create(node.managementUrl() + path))
          .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
      return new JsonObject(r.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
