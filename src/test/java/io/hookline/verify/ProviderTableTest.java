package io.hookline.verify;

import io.hookline.verify.provider.Providers;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The provider table of docs/providers.md is the registry's declarations, not a copy that drifts. */
class ProviderTableTest {
  private static final String BEGIN = "<!-- providers:";
  private static final String END = "<!-- end providers -->";

  @Test
  void readmeTableIsTheRegistry() throws IOException {
    Path readme = Path.of("docs", "providers.md");
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    assertThat(begin).as("docs/providers.md has the providers markers").isGreaterThanOrEqualTo(0);
    String table = text.substring(text.indexOf('\n', begin) + 1, end);
    String expected = Providers.markdownTable();
    if (!table.equals(expected) && Boolean.getBoolean("hookline.updateReadme")) {
      Files.writeString(readme, text.substring(0, text.indexOf('\n', begin) + 1) + expected + text.substring(end),
          StandardCharsets.UTF_8);
      return;
    }
    assertThat(table).as("docs/providers.md's provider table (regenerate: mvn test -Dtest=ProviderTableTest"
        + " -Dhookline.updateReadme=true)").isEqualTo(expected);
  }

  @Test
  void everyProviderLinksItsDocsAndCanBeSentAs() {
    for (Provider p : Providers.all()) {
      assertThat(p.docs()).as(p.name()).matches("https://\\S+|docs/providers\\.md#\\S+");
      assertThat(p.signer()).as(p.name() + " signer").isNotNull();
      assertThat(Providers.find(p.name().toUpperCase(java.util.Locale.ROOT))).isSameAs(p);
    }
  }
}
