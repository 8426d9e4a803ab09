package io.hookline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.config.ConfigLoader;
import io.hookline.config.HooklineConfig;
import io.hookline.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The error paths of {@code hookline send}: exit code 2 for a usage problem, and a useful message. */
class SendCommandTest {
  static final HooklineConfig CONFIG = new ConfigLoader(Map.of()).load("""
      sources:
        - { id: gh, provider: github, secrets: [gh-secret] }
        - { id: stripe, provider: stripe, secrets: [stripe-secret] }
        - { id: sms, provider: twilio, secrets: [twilio-secret] }
        - { id: ed, provider: standard, secrets: ["whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="] }
      """);

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void unknownSourceExitsTwoAndListsTheConfiguredSources() throws Exception {
    int exit = SendCommand.execute(new SendCommand(), CONFIG, out, "--source", "github");
    assertThat(exit).isEqualTo(2);
    assertThat(output()).contains("'github'").contains("[gh, stripe, sms, ed]");
  }

  @Test
  void missingSourceExitsTwoAndListsTheConfiguredSources() throws Exception {
    int exit = SendCommand.execute(new SendCommand(), CONFIG, out);
    assertThat(exit).isEqualTo(2);
    assertThat(output()).contains("--source is required").contains("[gh, stripe, sms, ed]");
  }

  @Test
  void aSecretSendCannotSignWithExitsTwoWithAMessage() throws Exception {
    // A Standard Webhooks public key verifies but cannot sign.
    int exit = SendCommand.execute(new SendCommand(), CONFIG, out, "--source", "ed");
    assertThat(exit).isEqualTo(2);
    assertThat(output()).contains("standard").contains("whpk_").doesNotContain("11qYAYKx");
  }

  @Test
  void anUnreachableNodeExitsOneAndSaysWhere() throws Exception {
    // A port that was free a moment ago: nothing listens there.
    String url = "http://127.0.0.1:" + TestServices.freePort();
    int exit = SendCommand.execute(new SendCommand(), CONFIG, out, "--source", "gh", "--url", url);
    assertThat(exit).isEqualTo(1);
    assertThat(output()).contains("cannot reach").contains(url).doesNotContain("gh-secret");
  }
}
