package io.hookline.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.testing.GeneratedDocSection;
import io.hookline.verify.provider.Providers;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The provider table of docs/providers.md is the registry's declarations, not a copy that drifts. */
class ProviderTableTest {
  @Test
  void readmeTableIsTheRegistry() throws IOException {
    GeneratedDocSection.assertCurrent("providers.md", "providers", Providers.markdownTable(), "ProviderTableTest");
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
