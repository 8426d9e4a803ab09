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
}
