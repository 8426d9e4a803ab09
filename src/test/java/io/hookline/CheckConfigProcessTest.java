package io.hookline;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.testing.MainProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hookline check-config} as an operator runs it (a separate JVM): a bad config exits 2 with
 * exactly one line that names the field, whether the loader or a provider's verifier finds it.
 */
class CheckConfigProcessTest {
  static final Duration WITHIN = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private String checkConfig(String yaml, int expectedExit) throws Exception {
    Path config = dir.resolve("hookline.yaml");
    Files.writeString(config, yaml);
    Path log = dir.resolve("check.log");
    int exit = MainProcess.run(log, WITHIN, "check-config", "--config", config.toString());
    String output = Files.readString(log);
    assertThat(exit).as("exit code; output:\n" + output).isEqualTo(expectedExit);
    return output;
  }

  @Test
  void anUnknownKeyExitsTwoWithOneLineNamingTheField() throws Exception {
    String out = checkConfig("""
        http: { port: 8080 }
        sources:
          - { id: gh, provider: github, secrets: [s], dedupTTL: 1h }
        """, 2);
    assertThat(out.strip().lines()).hasSize(1);
    assertThat(out.strip()).startsWith("hookline: configuration error: sources[0].dedupTTL: unknown key");
  }

  /** Provider options are checked when the verifiers are built, after loading: same contract. */
  @Test
  void aBadProviderOptionExitsTwoWithOneLineNamingTheField() throws Exception {
    String out = checkConfig("""
        sources:
          - id: acme
            provider: hmac
            secrets: [acme-secret]
            hmac: { algorithm: md5, header: X-Signature }
        """, 2);
    assertThat(out.strip().lines()).hasSize(1);
    assertThat(out.strip()).startsWith("hookline: configuration error: sources[0].hmac.algorithm: ")
        .doesNotContain("acme-secret");
  }

  @Test
  void aMissingConfigFileExitsTwo() throws Exception {
    Path log = dir.resolve("missing.log");
    int exit = MainProcess.run(log, WITHIN, "check-config", "--config", dir.resolve("nope.yaml").toString());
    String out = Files.readString(log);
    assertThat(exit).as(out).isEqualTo(2);
    assertThat(out.strip().lines()).hasSize(1);
    assertThat(out.strip()).startsWith("hookline: configuration error: --config: cannot read");
  }

  @Test
  void aGoodConfigExitsZeroAndShowsItMasked() throws Exception {
    String out = checkConfig("""
        sources:
          - { id: gh, provider: github, secrets: [the-gh-secret] }
          - { id: pd, provider: PagerDuty, secrets: [the-pd-secret] }
        """, 0);
    assertThat(out).startsWith("configuration OK").contains("source gh: provider=github").doesNotContain("the-gh-secret")
        .doesNotContain("the-pd-secret");
    // Each source's provider with the provider's own documentation (from the registry).
    assertThat(out).contains("providers:\n  gh: github (" + io.hookline.verify.provider.Providers.find("github").docs() + ")")
        .contains("  pd: pagerduty (https://developer.pagerduty.com/docs/verifying-webhook-signatures)");
  }
}
