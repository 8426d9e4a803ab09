package io.hookline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.cli.EventSigner;
import io.hookline.testing.IngestFixture;
import io.hookline.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC "Event ids as keys": a long id is hashed itself (never replaced by the body hash, which
 * would make different events with equal bodies duplicates); an id with control characters (or
 * that is not valid Unicode) is refused with 400 malformed_event_id and nothing is stored.
 */
class EventIdKeysTest {
  static final String GH = "gh-event-id-secret";
  static final String STRIPE = "whsec_event_id_secret";
  static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start(IngestFixture.githubSource(GH) + """
          - id: st
            provider: stripe
            secrets: ["%s"]
        """.formatted(STRIPE)); // a second item of its sources list
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void longIdsAreHashedThemselvesSoEqualBodiesStayDistinctEvents() {
    byte[] body = "{\"same\":\"body\"}".getBytes(StandardCharsets.UTF_8);
    String run = Long.toString(System.nanoTime());
    String first = run + "a".repeat(2000);
    String second = run + "b".repeat(2000);
    HttpResponse<String> a = node.post("gh", body, EventSigner.sign("github", GH, body, first, 0));
    HttpResponse<String> b = node.post("gh", body, EventSigner.sign("github", GH, body, second, 0));
    assertThat(a.statusCode()).as(a.body()).isEqualTo(200);
    assertThat(b.statusCode()).as(b.body()).isEqualTo(200);
    assertThat(new JsonObject(b.body()).getBoolean("duplicate")).as("a different event, not a duplicate").isFalse();
    assertThat(new JsonObject(b.body()).getString("id")).isNotEqualTo(new JsonObject(a.body()).getString("id"));
    // The same long id again is a duplicate of the first.
    HttpResponse<String> again = node.post("gh", body, EventSigner.sign("github", GH, body, first, 0));
    assertThat(new JsonObject(again.body()).getBoolean("duplicate")).isTrue();
    assertThat(node.count("SELECT count(*) FROM {schema}.events WHERE id IN ($1::uuid, $2::uuid)",
        new JsonObject(a.body()).getString("id"), new JsonObject(b.body()).getString("id"))).isEqualTo(2);
  }

  @Test
  void controlCharactersInABodyIdAreRefused() {
    assertMalformed("{\"id\":\"evt_\\u0001x\",\"type\":\"invoice.paid\"}");
    assertMalformed("{\"id\":\"evt_\\u0000x\",\"type\":\"invoice.paid\"}");
  }

  @Test
  void anIdThatIsNotValidUnicodeIsRefused() {
    assertMalformed("{\"id\":\"evt_\\ud800x\",\"type\":\"invoice.paid\"}");
  }

  static void assertMalformed(String json) {
    long before = node.count("SELECT count(*) FROM {schema}.events WHERE source_id = 'st'");
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r = node.post("st", body, EventSigner.sign("stripe", STRIPE, body, null,
        System.currentTimeMillis() / 1000));
    assertThat(r.statusCode()).as(json + " -> " + r.body()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("malformed_event_id");
    assertThat(node.count("SELECT count(*) FROM {schema}.events WHERE source_id = 'st'")).isEqualTo(before);
  }
}
