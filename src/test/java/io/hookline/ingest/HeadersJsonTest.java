package io.hookline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.config.HooklineConfig.SourceConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The headers stored with an event: valid JSON whatever the values, order and repeats kept, no credentials. */
class HeadersJsonTest {
  static SourceRuntime source(String provider, Map<String, Object> options) {
    SourceConfig config = new SourceConfig("s", provider, List.of(io.hookline.config.Secret.of("k")), Duration.ofMinutes(5),
        Duration.ofHours(1), 1024, List.of(), options, "sources[0]");
    // The real verifier: it names the headers that carry its secret.
    return SourceRuntime.of(config, io.hookline.verify.provider.Verifiers.create(io.hookline.verify.VerifierSpec.of(config)));
  }

  @Test
  void valuesAreEscapedAndOrderAndRepeatsKept() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap()
        .add("X-Quote", "a \"b\" \\ c")
        .add("X-Ctl", "tab\there\u0001")
        .add("X-Rep", "1")
        .add("X-Rep", "2")
        .add("X-Utf8", "caf\u00e9 \u2603");
    JsonArray parsed = new JsonArray(IngestPipeline.headersJson(h, source("github", Map.of()).unstoredHeaders()));
    assertThat(parsed.encode()).isEqualTo(new JsonArray()
        .add(new JsonArray().add("X-Quote").add("a \"b\" \\ c"))
        .add(new JsonArray().add("X-Ctl").add("tab\there\u0001"))
        .add(new JsonArray().add("X-Rep").add("1"))
        .add(new JsonArray().add("X-Rep").add("2"))
        .add(new JsonArray().add("X-Utf8").add("caf\u00e9 \u2603")).encode());
  }

  @Test
  void credentialHeadersAreNotStoredWhateverTheirCase() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap()
        .add("AUTHORIZATION", "Basic dXNlcjpwdw==")
        .add("Cookie", "session=1")
        .add("x-api-KEY", "k-123")
        .add("Content-Type", "application/json");
    String json = IngestPipeline.headersJson(h, source("apikey", Map.of("header", "X-Api-Key")).unstoredHeaders());
    assertThat(new JsonArray(json).encode()).isEqualTo("[[\"Content-Type\",\"application/json\"]]");
    assertThat(IngestPipeline.headersJson(MultiMap.caseInsensitiveMultiMap(), Set.of())).isEqualTo("[]");
  }
}
