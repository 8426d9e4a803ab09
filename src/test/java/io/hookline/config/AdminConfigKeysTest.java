package io.hookline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** management.replayRate and retention: defaults, validation naming the field, env override. */
class AdminConfigKeysTest {
  private static HooklineConfig load(String yaml, Map<String, String> env) {
    return new ConfigLoader(env).load(yaml);
  }

  @Test
  void defaults() {
    HooklineConfig c = load("", Map.of());
    assertThat(c.management().replayRate()).isEqualTo(500);
    assertThat(c.retention().delivered()).isEqualTo(Duration.ofDays(30));
    assertThat(c.retention().dead()).isEqualTo(Duration.ofDays(90));
  }

  @Test
  void setInYamlOrEnvironment() {
    HooklineConfig c = load("management: { replayRate: 20 }\nretention: { delivered: 7d, dead: 12h }\n", Map.of());
    assertThat(c.management().replayRate()).isEqualTo(20);
    assertThat(c.retention().delivered()).isEqualTo(Duration.ofDays(7));
    assertThat(c.retention().dead()).isEqualTo(Duration.ofHours(12));
    assertThat(load("", Map.of("HOOKLINE_MANAGEMENT_REPLAY_RATE", "3")).management().replayRate()).isEqualTo(3);
  }

  @Test
  void requestLogKeysFromEnvironmentLikeEveryOtherKey() {
    HooklineConfig c = load("management: { requestLog: { perMinute: 5, retention: 2d } }\n",
        Map.of("HOOKLINE_MANAGEMENT_REQUEST_LOG_PER_MINUTE", "7", "HOOKLINE_MANAGEMENT_REQUEST_LOG_RETENTION", "3d"));
    assertThat(c.management().requestLog().perMinute()).isEqualTo(7);
    assertThat(c.management().requestLog().retention()).isEqualTo(Duration.ofDays(3));
    HooklineConfig noYaml = load("", Map.of("HOOKLINE_MANAGEMENT_REQUEST_LOG_PER_MINUTE", "0"));
    assertThat(noYaml.management().requestLog().perMinute()).isZero();
    assertThat(noYaml.management().requestLog().retention()).isEqualTo(Duration.ofDays(7));
    assertThat(load("management: { adminToken: t }\n", Map.of("HOOKLINE_MANAGEMENT_REQUEST_LOG_RETENTION", "1d"))
        .management().adminToken().value()).isEqualTo("t");
    assertThat(ConfigKeys.REQUEST_LOG_PER_MINUTE.envName()).isEqualTo("HOOKLINE_MANAGEMENT_REQUEST_LOG_PER_MINUTE");
    assertThatThrownBy(() -> load("", Map.of("HOOKLINE_MANAGEMENT_REQUEST_LOG_PER_MINUTE", "lots")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("management.requestLog.perMinute:");
  }

  @Test
  void badValuesNameTheField() {
    assertThatThrownBy(() -> load("management: { replayRate: 0 }", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("management.replayRate:");
    assertThatThrownBy(() -> load("management: { replayRate: fast }", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("management.replayRate:");
    assertThatThrownBy(() -> load("retention: { dead: -1d }", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("retention.dead:");
    assertThatThrownBy(() -> load("retention: { delivered: forever }", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("retention.delivered:");
    assertThatThrownBy(() -> load("retention: { pending: 1d }", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("retention.pending:");
  }
}
