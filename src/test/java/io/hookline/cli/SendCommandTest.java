package io.hookline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.config.ConfigLoader;
import io.hookline.config.HooklineConfig;
import io.hookline.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        - { id: dc, provider: discord, secrets: ["d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"] }
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
    assertThat(output()).contains("'github'").contains("[gh, stripe, sms, ed, dc]");
  }

  @Test
  void missingSourceExitsTwoAndListsTheConfiguredSources() throws Exception {
    int exit = SendCommand.execute(new SendCommand(), CONFIG, out);
    assertThat(exit).isEqualTo(2);
    assertThat(output()).contains("--source is required").contains("[gh, stripe, sms, ed, dc]");
  }

  @Test
  void aSecretSendCannotSignWithExitsTwoWithAMessage() throws Exception {
    // A Standard Webhooks public key verifies; signing (v1a) needs the sender's secret key.
    int exit = SendCommand.execute(new SendCommand(), CONFIG, out, "--source", "ed");
    assertThat(exit).isEqualTo(2);
    assertThat(output()).contains("standard").contains("--private-key").contains("whsk_").doesNotContain("11qYAYKx");
  }

  @Test
  void anUnreachableNodeExitsOneAndSaysWhere() throws Exception {
    // A port that was free a moment ago: nothing listens there.
    String url = "http://127.0.0.1:" + TestServices.freePort();
    int exit = SendCommand.execute(new SendCommand(), CONFIG, out, "--source", "gh", "--url", url);
    assertThat(exit).isEqualTo(1);
    assertThat(output()).contains("cannot reach").contains(url).doesNotContain("gh-secret");
  }

  @Test
  void anAsymmetricProviderWithoutPrivateKeyExitsTwoSayingWhatIsNeeded() throws Exception {
    int exit = SendCommand.execute(new SendCommand(), CONFIG, out, "--source", "dc");
    assertThat(exit).isEqualTo(2);
    assertThat(output()).contains("discord").contains("--private-key");
  }

  @Test
  void anUnusablePrivateKeyFileExitsTwoNamingTheFileNotTheKey() throws Exception {
    Path key = Files.createTempFile("hookline-send-test", ".pem");
    try {
      Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nTUlJQ-not-a-key\n-----END PRIVATE KEY-----\n");
      int exit = SendCommand.execute(new SendCommand(), CONFIG, out, "--source", "dc", "--private-key", key.toString());
      assertThat(exit).isEqualTo(2);
      assertThat(output()).contains(key.toString()).doesNotContain("TUlJQ");
    } finally {
      Files.delete(key);
    }
  }
}
