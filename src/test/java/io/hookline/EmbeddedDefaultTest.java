package io.hookline;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.testing.GitHubPost;
import io.hookline.testing.MainProcess;
import io.hookline.testing.TestServices;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC "Embedded default": with neither redis.url nor postgres.url the node runs on its own
 * (embedded PostgreSQL under dataDir, in-process dedup), says loudly that it is in single-node
 * development mode, and keeps accepted events across a restart. Runs {@code io.hookline.Main} as a
 * real process, the way a developer would, including the {@code send} subcommand.
 */
class EmbeddedDefaultTest {
  static final String SECRET = "embedded-default-test-secret";
  static final Duration START = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  @Test
  void runsWithoutRedisAndPostgresAndKeepsEventsAcrossARestart() throws Exception {
    Path dataDir = dir.resolve("data");
    Path config = dir.resolve("hookline.yaml");
    // No redis:, no postgres: that is the whole point. A short drainTimeout keeps SIGTERM quick.
    Files.writeString(config, """
        http: { host: 127.0.0.1, port: 0, instances: 1 }
        management: { host: 127.0.0.1, port: 0 }
        delivery: { drainTimeout: 2s }
        dataDir: "%s"
        sources:
          - id: gh
            provider: github
            secrets: ["%s"]
        """.formatted(dataDir, SECRET));

    String deliveryId = UUID.randomUUID().toString();
    String body = "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":" + System.nanoTime() + "}";
    String firstId;

    try (MainProcess node = startNode(config, dataDir, dir.resolve("node-1.log"))) {
      int httpPort = node.httpPort();
      String log = node.output();
      assertThat(log).as("the node must say loudly that it is not production-ready")
          .containsIgnoringCase("single-node development mode");
      assertThat(log).as("secrets never appear in logs").doesNotContain(SECRET);

      // `hookline send` signs a test event with the source's secret and posts it to the node.
      Path sendLog = dir.resolve("send.log");
      int exit = MainProcess.run(sendLog, Duration.ofSeconds(60), "send", "--config", config.toString(), "--source", "gh",
          "--url", "http://127.0.0.1:" + httpPort);
      String sent = Files.readString(sendLog);
      assertThat(exit).as("send exit code; output:\n" + sent).isZero();
      assertThat(sent).contains("/webhooks/gh -> 200 ").contains("\"duplicate\":false");

      JsonObject first = post(httpPort, deliveryId, body);
      assertThat(first.getBoolean("duplicate")).isFalse();
      firstId = first.getString("id");
      JsonObject again = post(httpPort, deliveryId, body);
      assertThat(again.getBoolean("duplicate")).as("same X-GitHub-Delivery again").isTrue();
      assertThat(again.getString("id")).isEqualTo(firstId);

      node.sigterm(Duration.ofSeconds(60));
      assertThat(node.output()).contains("stopped");
    }

    // Same dataDir: PostgreSQL's files survived, so the event is still known. (The embedded Redis
    // starts empty, so this answer comes from PostgreSQL's unique key, the durable backstop.)
    try (MainProcess node = startNode(config, dataDir, dir.resolve("node-2.log"))) {
      JsonObject afterRestart = post(node.httpPort(), deliveryId, body);
      assertThat(afterRestart.getBoolean("duplicate")).as("known after restart").isTrue();
      assertThat(afterRestart.getString("id")).isEqualTo(firstId);
    }
  }

  private static MainProcess startNode(Path config, Path dataDir, Path log) throws InterruptedException {
    return MainProcess.startNode(log, Map.of(), dataDir.resolve("postgres"), config, START);
  }

  private JsonObject post(int port, String deliveryId, String body) throws IOException, InterruptedException {
    return GitHubPost.untilAccepted("the embedded node", port, SECRET, deliveryId, body, Duration.ofSeconds(30));
  }
}
