package io.hookline;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.cli.EventSigner;
import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Ready means fast (SPEC, Fleet behaviour): the start-up warm-up sends real signed webhooks through
 * a scratch node before the node listens, and leaves nothing behind in the node's own schema or in
 * PostgreSQL (its scratch schema is dropped).
 */
class WarmupTest {
  @Test
  void theNodeListensAfterAWarmUpThatLeavesNothingBehind() {
    TestNode node = TestNode.start("""
        sources:
          - id: gh
            provider: github
            secrets: ["warm-up test secret"]
          - id: st
            provider: stripe
            secrets: ["whsec_warmup_test"]
        """, Map.of("HOOKLINE_HTTP_WARMUP_SECONDS", "1"), TestServices.pgUrl());
    try {
      assertThat(node.hookline.warmupEvents()).as("webhooks the scratch node accepted").isPositive();
      assertThat(node.count("SELECT count(*) FROM {schema}.events")).as("events in the node's own schema").isZero();
      assertThat(node.count("SELECT count(*) FROM pg_namespace WHERE nspname LIKE $1",
          node.schemaName() + "_warmup_%")).as("scratch schemas left").isZero();

      // And the node then works as usual.
      byte[] body = "{\"zen\":\"warm\"}".getBytes(StandardCharsets.UTF_8);
      var answer = node.post("gh", body,
          EventSigner.sign("github", "warm-up test secret", body, "after-warmup-1", System.currentTimeMillis() / 1000));
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(node.count("SELECT count(*) FROM {schema}.events")).isEqualTo(1);
    } finally {
      node.close();
    }
  }

  @Test
  void everySignableConfiguredProviderIsWarmedThroughItsOwnVerifier() {
    // Providers whose signing needs a URL (twilio, hubspot, square), a key pair (discord, sendgrid),
    // a whsec_ key (svix) or options (hmac): each read from the registry, none through github's path.
    TestNode node = TestNode.start("""
        sources:
          - { id: sms, provider: twilio, secrets: ["twilio-token"] }
          - { id: dc, provider: discord, secrets: ["d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"] }
          - { id: sg, provider: sendgrid, secrets: ["MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g=="] }
          - { id: sv, provider: svix, secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"] }
          - { id: hs, provider: hubspot, secrets: ["hubspot-secret"] }
          - { id: sq, provider: square, secrets: ["square-secret"] }
          - { id: hm, provider: hmac, secrets: ["hmac-secret"], hmac: { header: X-Sig, eventIdHeader: X-Event-Id } }
        """, Map.of("HOOKLINE_HTTP_WARMUP_SECONDS", "2"), TestServices.pgUrl());
    try {
      assertThat(node.hookline.warmupProviders())
          .containsExactlyInAnyOrder("github", "twilio", "discord", "sendgrid", "svix", "hubspot", "square", "hmac");
      assertThat(node.count("SELECT count(*) FROM {schema}.events")).as("events in the node's own schema").isZero();
    } finally {
      node.close();
    }
  }
}
