package io.hookline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hookline.cli.EventSigner;
import io.hookline.testing.RedisServers;
import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What dedup costs Redis, counted by a Redis server of this test's own ({@code INFO commandstats}): an
 * accepted event is one command (its claim); the first copy of it goes on to PostgreSQL, which confirms
 * it and has the key marked committed; every further copy is answered from Redis alone.
 */
class RedisCommandsPerEventTest {
  static final String SECRET = "whsec_commands_per_event";
  RedisServers servers;
  int port;
  TestNode node;

  @BeforeEach
  void start() {
    assumeTrue(RedisServers.installed(), "redis-server and redis-cli are not installed");
    servers = new RedisServers();
    port = RedisServers.freeClusterPort();
    servers.server(port);
    node = TestNode.start("""
        sources:
          - id: stripe
            provider: stripe
            secrets: ["%s"]
        """.formatted(SECRET), Map.of(), TestServices.pgUrl(), "redis://127.0.0.1:" + port);
    RedisServers.cli(port, "CONFIG", "RESETSTAT");
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    if (servers != null) {
      servers.close();
    }
  }

  HttpResponse<String> post(String eventId) {
    byte[] body = ("{\"id\":\"" + eventId + "\",\"object\":\"event\",\"type\":\"invoice.paid\",\"data\":{\"object\":{}}}")
        .getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r = node.post("stripe", body,
        EventSigner.sign("stripe", SECRET, body, eventId, System.currentTimeMillis() / 1000));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r;
  }

  /** Calls of one command since the reset ({@code cmdstat_set:calls=N,...}). */
  long calls(String command) {
    Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)")
        .matcher(RedisServers.cli(port, "INFO", "commandstats"));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  /** The key's value, read with GETRANGE so the test's own reads do not count as GETs. */
  String value(String eventId) {
    return RedisServers.cli(port, "GETRANGE", node.keyPrefix() + "stripe:" + eventId, "0", "-1").strip();
  }

  @Test
  void anAcceptedEventCostsOneCommandAndOnlyItsFirstCopyReachesPostgres() {
    int events = 20;
    String run = "evt_cmds_" + System.nanoTime() + "_";
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      JsonObject answer = new JsonObject(post(run + i).body());
      assertThat(answer.getBoolean("duplicate")).isFalse();
      ids.add(answer.getString("id"));
    }
    // The first copy: its SET NX finds the claim, GET reads it, PostgreSQL confirms the duplicate, the key is marked.
    JsonObject copy = new JsonObject(post(run + 0).body());
    assertThat(copy.getBoolean("duplicate")).isTrue();
    assertThat(copy.getString("id")).isEqualTo(ids.get(0));
    RedisServers.waitFor(Duration.ofSeconds(10), () -> value(run + 0).equals("c:" + ids.get(0)), "the first copy's mark");
    // A commit mark per accepted event (the old way) would show here as 20 more SETs.
    assertThat(calls("set")).as("SET: one claim per accepted event, the copy's claim, one mark").isEqualTo(events + 2);
    assertThat(calls("get")).isEqualTo(1);
    for (int i = 1; i < events; i++) {
      assertThat(value(run + i)).as("an accepted event's key holds its claim").isEqualTo("p:" + ids.get(i));
    }

    // Further copies stop at Redis: a claim that fails and a read of the mark, nothing rewritten.
    JsonObject again = new JsonObject(post(run + 0).body());
    assertThat(again.getBoolean("duplicate")).isTrue();
    assertThat(again.getString("id")).isEqualTo(ids.get(0));
    assertThat(calls("set")).isEqualTo(events + 3);
    assertThat(calls("get")).isEqualTo(2);
    assertThat(node.count("SELECT count(*) FROM {schema}.events WHERE provider_event_id = $1", run + 0)).isEqualTo(1);
  }
}
