package io.hookline.config;

import static io.hookline.config.ConfigLoaderTest.error;
import static io.hookline.config.ConfigLoaderTest.load;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code redis.type}: standalone ({@code url}), cluster ({@code urls}) and sentinel ({@code urls} + {@code master}). */
class RedisTopologyConfigTest {
  static final String PG = "postgres: { url: \"postgresql://u@127.0.0.1:5432/x\" }\n";

  @Test
  void standaloneIsTheDefaultAndKeepsUrl() {
    HooklineConfig c = load("redis: { url: \"redis://127.0.0.1:6379\" }\n" + PG);
    assertThat(c.redis().type()).isEqualTo("standalone");
    assertThat(c.redis().url()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(c.redis().urls()).isEmpty();
    assertThat(c.embedded()).isFalse();
  }

  @Test
  void clusterTakesItsNodesFromUrls() {
    HooklineConfig c = load("""
        redis: { type: cluster, urls: ["redis://127.0.0.1:7000", "redis://127.0.0.1:7001"] }
        """ + PG);
    assertThat(c.redis().type()).isEqualTo("cluster");
    assertThat(c.redis().url()).isNull();
    assertThat(c.redis().urls()).containsExactly("redis://127.0.0.1:7000", "redis://127.0.0.1:7001");
    assertThat(c.embedded()).isFalse();
  }

  @Test
  void sentinelNeedsUrlsAndAMasterName() {
    HooklineConfig c = load("""
        redis: { type: sentinel, urls: ["redis://127.0.0.1:26379"], master: mymaster }
        """ + PG);
    assertThat(c.redis().master()).isEqualTo("mymaster");
    assertThat(error("redis: { type: sentinel, urls: [\"redis://127.0.0.1:26379\"] }\n" + PG))
        .startsWith("redis.master").contains("required with type sentinel");
  }

  @Test
  void environmentSetsTheTopologyWithCommaSeparatedUrls() {
    HooklineConfig c = load(PG, Map.of("HOOKLINE_REDIS_TYPE", "cluster",
        "HOOKLINE_REDIS_URLS", "redis://127.0.0.1:7000, redis://127.0.0.1:7001"));
    assertThat(c.redis().urls()).isEqualTo(List.of("redis://127.0.0.1:7000", "redis://127.0.0.1:7001"));
  }

  @Test
  void eachMisfitIsNamed() {
    assertThat(error("redis: { type: cluster }\n" + PG)).startsWith("redis.urls").contains("required with type cluster");
    assertThat(error("redis: { type: cluster, url: \"redis://127.0.0.1:7000\" }\n" + PG))
        .startsWith("redis.url").contains("is for type standalone");
    assertThat(error("redis: { urls: [\"redis://127.0.0.1:7000\"] }\n" + PG)).startsWith("redis.urls")
        .contains("type cluster or sentinel");
    assertThat(error("redis: { url: \"redis://127.0.0.1:6379\", master: m }\n" + PG)).startsWith("redis.master");
    assertThat(error("redis: { type: cluster, urls: [\"redis://127.0.0.1:7000\"], master: m }\n" + PG))
        .startsWith("redis.master");
    assertThat(error("redis: { type: cluster, urls: [\"http://127.0.0.1:7000\"] }\n" + PG))
        .startsWith("redis.urls[0]").contains("scheme");
    assertThat(error("redis: { type: ring, urls: [\"redis://127.0.0.1:7000\"] }\n" + PG)).startsWith("redis.type");
    assertThat(error("redis: { type: cluster, urls: [\"redis://127.0.0.1:7000\"] }\n")).startsWith("postgres.url");
    assertThat(error(PG)).startsWith("redis.url");
    assertThat(error("redis: { type: cluster, urls: [\"redis://127.0.0.1:7000\"], keyPrefix: \"{hl}:\" }\n" + PG))
        .startsWith("redis.keyPrefix").contains("one slot");
    assertThat(load("redis: { type: cluster, urls: [\"redis://127.0.0.1:7000\"], keyPrefix: \"hl{}:\" }\n" + PG)
        .redis().keyPrefix()).isEqualTo("hl{}:");
  }

  @Test
  void passwordsInUrlsAreMasked() {
    HooklineConfig c = load("""
        redis: { type: sentinel, urls: ["redis://:sentinel-pw@127.0.0.1:26379"], master: mymaster }
        """ + PG);
    String shown = c.redis() + " " + c.describe();
    assertThat(shown).doesNotContain("sentinel-pw").contains("redis://:****@127.0.0.1:26379");
    assertThat(error("redis: { type: cluster, urls: [\"http://:node-pw@127.0.0.1:7000\"] }\n" + PG))
        .doesNotContain("node-pw");
  }
}
