package io.hookline.delivery;

import io.hookline.testing.KafkaBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the Kafka destination tests share: the test JVM's {@link KafkaBroker}, a fresh
 * {@link Harness} per test (its own schema), fast polling and quick retries.
 */
abstract class KafkaDestinationTestBase {
  static final String FAST = "instances: 1, pollInterval: 100ms, drainTimeout: 2s";
  /** A destination's retry keys (YAML at destination indentation): 10 s per attempt, 50-200 ms between. */
  static final String RETRY = "        timeout: 10s\n        initialBackoff: 50ms\n        maxBackoff: 200ms\n";

  final KafkaBroker kafka = KafkaBroker.shared();
  Harness h;

  @BeforeEach
  void setUp() {
    h = new Harness();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }
}
