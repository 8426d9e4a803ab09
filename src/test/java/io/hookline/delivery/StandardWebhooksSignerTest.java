package io.hookline.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StandardWebhooksSignerTest {
  /** The example published in the Standard Webhooks specification. */
  @Test
  void matchesTheSpecificationsExample() {
    byte[] key = StandardWebhooksSigner.keyFromSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    String signature = StandardWebhooksSigner.sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
        "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));
    assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void everyPartIsSigned() {
    byte[] key = StandardWebhooksSigner.keyFromSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    String base = StandardWebhooksSigner.sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, body);
    assertThat(StandardWebhooksSigner.sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJeK", 1614265330L, body)).isNotEqualTo(base);
    assertThat(StandardWebhooksSigner.sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265331L, body)).isNotEqualTo(base);
    assertThat(StandardWebhooksSigner.sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
        "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(base);
  }

  @Test
  void rejectsSecretsWithoutThePrefix() {
    assertThatThrownBy(() -> StandardWebhooksSigner.keyFromSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
