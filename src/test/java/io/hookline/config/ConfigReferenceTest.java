package io.hookline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import io.hookline.testing.GeneratedDocSection;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The configuration reference (docs/configuration.md) is the declarations in {@link ConfigKeys}, not a copy that drifts. */
class ConfigReferenceTest {
  @Test
  void referenceTableIsTheDeclaredKeys() throws IOException {
    GeneratedDocSection.assertCurrent("configuration.md", "config-keys", ConfigKeys.markdownTable(), "ConfigReferenceTest");
  }

  @Test
  void everyDeclaredKeyIsAcceptedAndNoOtherIs() {
    Set<String> paths = new HashSet<>();
    for (Section s : ConfigKeys.ALL) {
      for (Key<?, ?> k : s.keys()) {
        assertThat(paths.add(k.path())).as("declared once: " + k.path()).isTrue();
      }
    }
    // Every top-level section key is accepted by the loader (a declared key the binder forgot
    // would be an unknown-key error here).
    for (Section s : ConfigKeys.ALL) {
      if (s.path().isEmpty() || s.path().startsWith("sources")) {
        continue;
      }
      for (Key<?, ?> k : s.keys()) {
        if (k.defaultValue().get() != null && !k.secret() && !k.name().equals("trustedProxies")) {
          String yaml = k.name() + ": \"" + ((Key<Object, Object>) k).type().render(k.defaultValue().get()) + "\"";
          String[] path = s.path().split("\\.");
          for (int i = path.length - 1; i >= 0; i--) {
            yaml = path[i] + ": { " + yaml + " }"; // a nested section (management.requestLog) as nested mappings
          }
          yaml += "\n";
          new ConfigLoader(java.util.Map.of()).load(yaml);
        }
      }
    }
  }

  @Test
  void environmentVariableNamesComeFromTheDeclarations() {
    HooklineConfig c = new ConfigLoader(java.util.Map.of(
        "HOOKLINE_STORE_COMMIT_TIMEOUT", "3s",
        "HOOKLINE_MANAGEMENT_REPLAY_RATE", "50",
        "HOOKLINE_RETENTION_DEAD", "7d",
        "HOOKLINE_METRICS_MODE", "off",
        "HOOKLINE_NODE_ID", "node-a")).load("");
    assertThat(c.store().commitTimeout()).isEqualTo(java.time.Duration.ofSeconds(3));
    assertThat(c.management().replayRate()).isEqualTo(50);
    assertThat(c.retention().dead()).isEqualTo(java.time.Duration.ofDays(7));
    assertThat(c.retention().delivered()).isEqualTo(java.time.Duration.ofDays(30));
    assertThat(c.metrics().mode()).isEqualTo("off");
    assertThat(c.nodeId()).isEqualTo("node-a");
  }
}
