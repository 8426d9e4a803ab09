package io.hookline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The configuration reference (docs/configuration.md) is the declarations in {@link ConfigKeys}, not a copy that drifts. */
class ConfigReferenceTest {
  private static final String BEGIN = "<!-- config-keys:";
  private static final String END = "<!-- end config-keys -->";

  @Test
  void referenceTableIsTheDeclaredKeys() throws IOException {
    Path readme = Path.of("docs", "configuration.md");
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    assertThat(begin).as("docs/configuration.md has the config-keys markers").isGreaterThanOrEqualTo(0);
    String table = text.substring(text.indexOf('\n', begin) + 1, end);
    String expected = ConfigKeys.markdownTable();
    if (!table.equals(expected) && Boolean.getBoolean("hookline.updateReadme")) {
      Files.writeString(readme, text.substring(0, text.indexOf('\n', begin) + 1) + expected + text.substring(end),
          StandardCharsets.UTF_8);
      return;
    }
    assertThat(table).as("docs/configuration.md's table (regenerate: mvn test -Dtest=ConfigReferenceTest"
        + " -Dhookline.updateReadme=true)").isEqualTo(expected);
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
