package io.hookline.verify;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on a {@link Verification} that print the whole outcome when they fail. */
final class Verdicts {
  private Verdicts() {}

  static void assertAccepted(Verification v) {
    assertThat(v.kind()).as("%s", v).isEqualTo(Verification.Kind.ACCEPTED);
  }

  static void assertAccepted(Verification v, String eventId, String eventType) {
    assertAccepted(v);
    assertThat(v.eventId()).as("event id").isEqualTo(eventId);
    assertThat(v.eventType()).as("event type").isEqualTo(eventType);
  }

  static void assertRejected(Verification v, Reason reason) {
    assertThat(v.kind()).as("%s", v).isEqualTo(Verification.Kind.REJECTED);
    assertThat(v.reason()).as("%s", v).isEqualTo(reason);
    assertThat(v.message()).isNotBlank();
  }

  /** Rejection messages are logged and returned to callers: they must not carry key material. */
  static void assertMessageHides(Verification v, String... secrets) {
    for (String secret : secrets) {
      assertThat(v.message()).doesNotContain(secret);
    }
  }

  static void assertNotAccepted(Verification v) {
    assertThat(v.kind()).as("%s", v).isEqualTo(Verification.Kind.REJECTED);
    assertThat(v.reason()).isNotNull();
    assertThat(v.message()).isNotBlank();
  }
}
