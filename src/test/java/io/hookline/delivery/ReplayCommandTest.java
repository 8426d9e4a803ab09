package io.hookline.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.cli.ConfiguredCommand;
import io.hookline.cli.DeadLettersCommand;
import io.hookline.cli.ReplayCommand;
import io.hookline.config.HooklineConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplayCommandTest {
  Harness h;
  HooklineConfig config;
  ByteArrayOutputStream out = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() {
    h = new Harness();
    config = h.config("instances: 1", Harness.source("a", Harness.destination("x", "http://127.0.0.1:9/", "")));
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  int run(String command, Map<String, String> args) {
    out.reset();
    java.util.List<String> argv = new java.util.ArrayList<>();
    args.forEach((k, v) -> argv.addAll(java.util.List.of("--" + k, v)));
    ConfiguredCommand cmd = command.equals("replay") ? new ReplayCommand() : new DeadLettersCommand();
    try {
      return ConfiguredCommand.execute(cmd, config, new PrintStream(out, true, StandardCharsets.UTF_8),
          argv.toArray(String[]::new));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  String output() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void listsDeadLettersAndReplaysByEventAndByFilter() {
    UUID first = h.insertEvent("a", "{}", "x");
    UUID second = h.insertEvent("a", "{}", "x");
    h.query("UPDATE {schema}.deliveries SET status = 'dead', attempts = 8, last_error = 'HTTP 502'");
    h.syncDeliveries();

    assertThat(run("dead-letters", Map.of("source", "a"))).isZero();
    assertThat(output()).contains("2 dead deliveries").contains(first.toString()).contains("a -> x").contains("HTTP 502");

    assertThat(run("replay", Map.of("event", first.toString()))).isZero();
    assertThat(output()).contains("replayed 1 deliveries of event " + first);
    assertThat(h.status(first, "x")).isEqualTo("pending");

    assertThat(run("replay", Map.of())).isEqualTo(2);
    assertThat(output()).contains("at least one filter");
    assertThat(run("replay", Map.of("event", "nope"))).isEqualTo(2);
    assertThat(run("replay", Map.of("source", "a", "since", "whenever"))).isEqualTo(2);

    assertThat(run("replay", Map.of("source", "a", "since", "1h"))).isZero();
    assertThat(output()).contains("replayed 1 deliveries");
    assertThat(h.status(second, "x")).isEqualTo("pending");
  }
}
