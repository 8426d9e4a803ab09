package io.hookline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.config.ConfigLoader;
import io.hookline.config.HooklineConfig;
import io.hookline.testing.Eventually;
import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The quick start's loop for real, from examples/dev.yaml: {@code hookline send} signs a GitHub
 * event, a node verifies, stores and delivers it, and {@code hookline sink} prints the delivery
 * and checks its Standard Webhooks signature with the destination's signingSecret.
 */
class SinkLoopTest {
  private final ByteArrayOutputStream sinkBytes = new ByteArrayOutputStream();
  private final PrintStream sinkOut = new PrintStream(sinkBytes, true, StandardCharsets.UTF_8);

  private String sinkOutput() {
    return sinkBytes.toString(StandardCharsets.UTF_8);
  }

  private static String devYaml() throws Exception {
    return Files.readString(Path.of("examples", "dev.yaml"), StandardCharsets.UTF_8);
  }

  /** dev.yaml's variables for this test: the sink's port and any free public port. */
  private static Map<String, String> env(int sinkPort, String... more) {
    Map<String, String> env = new HashMap<>();
    env.put("HOOKLINE_SINK_PORT", String.valueOf(sinkPort));
    env.put("HOOKLINE_HTTP_PORT", "0");
    for (int i = 0; i + 1 < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  /** Runs {@code hookline sink ARGS --count 1} until its first delivery; its exit code. */
  private CompletableFuture<Integer> sink(HooklineConfig config, Map<String, String> env, String... args) {
    SinkCommand command = new SinkCommand();
    command.env = env;
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
      try {
        return ConfiguredCommand.execute(command, config, sinkOut, args);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Eventually.within(Duration.ofSeconds(20), () -> sinkOutput().contains("sink: listening"), "the sink listens");
    return exit;
  }

  private static int send(TestNode node, Map<String, String> env, ByteArrayOutputStream out) throws Exception {
    HooklineConfig config = new ConfigLoader(env).load(devYaml());
    return SendCommand.execute(new SendCommand(), config, new PrintStream(out, true, StandardCharsets.UTF_8),
        "--source", "github", "--url", node.baseUrl(), "--event-id", "loop-1");
  }

  @Test
  void sendEndsInADeliveryTheSinkPrintsWithAValidSignature() throws Exception {
    int sinkPort = TestServices.freePort();
    Map<String, String> env = env(sinkPort);
    CompletableFuture<Integer> exit = sink(new ConfigLoader(env).load(devYaml()), env,
        "--port", String.valueOf(sinkPort), "--count", "1");
    assertThat(sinkOutput()).contains("checking Standard Webhooks signatures with 1 secret");
    try (TestNode node = TestNode.start(devYaml(), env, TestServices.pgUrl())) {
      ByteArrayOutputStream sent = new ByteArrayOutputStream();
      assertThat(send(node, env, sent)).as(sent.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
    }
    assertThat(sinkOutput()).contains("POST /github  -> 200").contains("webhook-id: ").contains("webhook-signature: v1,")
        .contains("signature: valid").contains("hello from hookline send").contains("\"event_id\":\"loop-1\"")
        .doesNotContain("whsec_");
  }

  @Test
  void aDeliverySignedWithAnotherSecretIsShownInvalidAndRefused() throws Exception {
    int sinkPort = TestServices.freePort();
    // The sink expects a different secret than the node signs with: what a one-sided rotation looks like.
    Map<String, String> env = env(sinkPort, "OTHER_SECRET", "whsec_" + java.util.Base64.getEncoder()
        .encodeToString("another-32-byte-signing-key-here".getBytes(StandardCharsets.UTF_8)));
    CompletableFuture<Integer> exit = sink(new ConfigLoader(env).load(devYaml()), env,
        "--port", String.valueOf(sinkPort), "--count", "1", "--secret-env", "OTHER_SECRET");
    try (TestNode node = TestNode.start(devYaml(), env, TestServices.pgUrl())) {
      assertThat(send(node, env, new ByteArrayOutputStream())).isZero();
      assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
      Eventually.within(Duration.ofSeconds(30), () -> node.count(
          "SELECT count(*) FROM {schema}.delivery_attempts WHERE status_code = 401") >= 1, "the node recorded the 401");
    }
    assertThat(sinkOutput()).contains("POST /github  -> 401").contains("signature: INVALID (")
        .doesNotContain("another-32-byte");
  }

  @Test
  void aMissingSecretVariableIsAUsageError() throws Exception {
    Map<String, String> env = env(TestServices.freePort());
    SinkCommand command = new SinkCommand();
    command.env = env;
    int exit = ConfiguredCommand.execute(command, new ConfigLoader(env).load(devYaml()), sinkOut, "--secret-env", "NOPE");
    assertThat(exit).isEqualTo(2);
    assertThat(sinkOutput()).contains("NOPE").contains("not set");
  }
}
