package io.hookline.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.cli.EventSigner;
import io.hookline.testing.MainProcess;
import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hookline dead-letters} and {@code hookline replay} as an operator runs them (separate JVMs)
 * against the PostgreSQL a running node uses: a dead letter is listed, replayed, and attempted again.
 */
class ReplayCliProcessTest {
  static final String SECRET = "replay-cli-secret";

  @TempDir
  Path dir;

  @Test
  void aDeadLetterIsListedAndReplayedFromTheCommandLine() throws Exception {
    String downDestination = "http://127.0.0.1:" + TestServices.freePort() + "/hook";
    try (TestNode node = TestNode.start("""
        delivery: { pollInterval: 100ms }
        sources:
          - id: gh
            provider: github
            secrets: ["%s"]
            destinations:
              - { id: down, url: "%s", maxAttempts: 1, timeout: 2s }
        """.formatted(SECRET, downDestination))) {
      byte[] body = "{\"zen\":\"replay me\"}".getBytes(StandardCharsets.UTF_8);
      HttpResponse<String> r = node.post("gh", body,
          EventSigner.sign("github", SECRET, body, "delivery-" + System.nanoTime(), 0));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      String eventId = new JsonObject(r.body()).getString("id");
      String byEvent = "SELECT count(*) FROM {schema}.deliveries WHERE event_id = '" + eventId + "'::uuid AND ";
      awaitTrue(() -> node.count(byEvent + "status = 'dead'") == 1, "the delivery is dead-lettered");

      Path config = dir.resolve("ops.yaml");
      Files.writeString(config, """
          redis: { url: "%s" }
          postgres: { url: "%s", schema: %s }
          sources:
            - { id: gh, provider: github, secrets: ["%s"] }
          """.formatted(TestServices.redisUrl(), TestServices.pgUrl(), node.schemaName(), SECRET));

      Path listed = dir.resolve("dead-letters.log");
      assertThat(MainProcess.run(listed, Duration.ofSeconds(60), "dead-letters", "--config", config.toString(),
          "--source", "gh")).as(Files.readString(listed)).isZero();
      assertThat(Files.readString(listed)).contains("1 dead deliveries").contains(eventId).contains("gh -> down");

      Path replayed = dir.resolve("replay.log");
      assertThat(MainProcess.run(replayed, Duration.ofSeconds(60), "replay", "--config", config.toString(),
          "--event", eventId)).as(Files.readString(replayed)).isZero();
      assertThat(Files.readString(replayed)).contains("replayed 1 deliveries of event " + eventId);
      // The running node picks the replay up: a second round, attempted (and dead again: still down).
      awaitTrue(() -> node.count(byEvent + "round = 2 AND status = 'dead'") == 1, "the replayed round is attempted");

      Path usage = dir.resolve("usage.log");
      assertThat(MainProcess.run(usage, Duration.ofSeconds(60), "replay", "--config", config.toString())).isEqualTo(2);
      assertThat(Files.readString(usage)).contains("at least one filter");
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.onSpinWait();
    }
  }
}
