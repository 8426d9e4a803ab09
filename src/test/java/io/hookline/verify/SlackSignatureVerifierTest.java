package io.hookline.verify;

import io.hookline.verify.provider.Verifiers;
import static io.hookline.verify.Signing.hex;
import static io.hookline.verify.Signing.hmacSha256;
import static io.hookline.verify.Signing.utf8;
import static io.hookline.verify.Verdicts.assertAccepted;
import static io.hookline.verify.Verdicts.assertMessageHides;
import static io.hookline.verify.Verdicts.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.config.Secret;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlackSignatureVerifierTest {
  static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  static final String OLD_SECRET = "0ld5ecret0ld5ecret0ld5ecret0ld5e";
  static final long NOW = 1_531_420_618_000L;
  static final long T = NOW / 1000;
  static final String DOCS_BODY = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
      + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect"
      + "&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
      + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
  static final String EVENT = "{\"type\":\"event_callback\",\"event_id\":\"Ev123\",\"event\":{\"type\":\"message\",\"text\":\"hi\"}}";
  static final String CHALLENGE = "{\"token\":\"t\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\","
      + "\"type\":\"url_verification\"}";

  static TestRequest signed(String secret, long t, String body) {
    return TestRequest.at(NOW).body(body)
        .header("X-Slack-Request-Timestamp", Long.toString(t))
        .header("X-Slack-Signature", "v0=" + hex(hmacSha256(secret, utf8("v0:" + t + ":" + body))));
  }

  final SignatureVerifier verifier = Verifiers.create(Signing.spec("slack", List.of(SECRET, OLD_SECRET)));

  @Test
  void acceptsSlacksDocsExample() {
    TestRequest request = TestRequest.at(NOW).body(DOCS_BODY)
        .header("X-Slack-Request-Timestamp", "1531420618")
        .header("X-Slack-Signature", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
    assertAccepted(verifier.verify(request), null, null);
  }

  @Test
  void acceptsEventsWithEventIdAndInnerType() {
    assertAccepted(verifier.verify(signed(SECRET, T, EVENT)), "Ev123", "message");
    assertAccepted(verifier.verify(signed(OLD_SECRET, T, "{\"type\":\"app_rate_limited\"}")), null, "app_rate_limited");
  }

  @Test
  void answersUrlVerificationOnlyAfterTheSignatureHolds() {
    Verification v = verifier.verify(signed(SECRET, T, CHALLENGE));
    assertThat(v.kind()).isEqualTo(Verification.Kind.HANDSHAKE);
    assertThat(v.handshakeContentType()).isEqualTo("application/json");
    assertThat(new String(v.handshakeBody(), StandardCharsets.UTF_8))
        .isEqualTo("{\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\"}");

    assertRejected(verifier.verify(signed("attacker", T, CHALLENGE)), Reason.INVALID_SIGNATURE);
    assertRejected(verifier.verify(signed(SECRET, T - 3600, CHALLENGE)), Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    assertRejected(verifier.verify(TestRequest.at(NOW).body(CHALLENGE)), Reason.MISSING_SIGNATURE);
  }

  @Test
  void escapesTheChallengeAsJson() {
    String body = "{\"type\":\"url_verification\",\"challenge\":\"a\\\"b\\\\c\\n\"}";
    Verification v = verifier.verify(signed(SECRET, T, body));
    assertThat(new String(v.handshakeBody(), StandardCharsets.UTF_8)).isEqualTo("{\"challenge\":\"a\\\"b\\\\c\\u000a\"}");
  }

  @Test
  void refusesASecretPastItsNotAfter() {
    SignatureVerifier rotating = Verifiers.create(Signing.specWithSecrets("slack",
        List.of(Secret.of(SECRET), Signing.expiring(OLD_SECRET, NOW - 1))));
    assertRejected(rotating.verify(signed(OLD_SECRET, T, EVENT)), Reason.INVALID_SIGNATURE);
  }

  @Test
  void rejectsTamperedBodyTimestampAndWrongSecret() {
    assertRejected(verifier.verify(signed(SECRET, T, EVENT).body(EVENT.replace("hi", "ho"))), Reason.INVALID_SIGNATURE);
    assertRejected(verifier.verify(signed(SECRET, T, EVENT).setHeader("X-Slack-Request-Timestamp", Long.toString(T - 1))),
        Reason.INVALID_SIGNATURE);
    Verification v = verifier.verify(signed("wrong", T, EVENT));
    assertRejected(v, Reason.INVALID_SIGNATURE);
    assertMessageHides(v, SECRET, OLD_SECRET);
  }

  @Test
  void rejectsStaleAndFutureTimestamps() {
    assertRejected(verifier.verify(signed(SECRET, T - 301, EVENT)), Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    assertRejected(verifier.verify(signed(SECRET, T + 301, EVENT)), Reason.TIMESTAMP_OUT_OF_TOLERANCE);
  }

  @Test
  void rejectsMissingRepeatedAndMalformedHeaders() {
    assertRejected(verifier.verify(TestRequest.at(NOW).body(EVENT)), Reason.MISSING_SIGNATURE);
    assertRejected(verifier.verify(signed(SECRET, T, EVENT).setHeader("X-Slack-Request-Timestamp", null)),
        Reason.MALFORMED_SIGNATURE);
    assertRejected(verifier.verify(signed(SECRET, T, EVENT).setHeader("X-Slack-Request-Timestamp", "soon")),
        Reason.MALFORMED_SIGNATURE);
    assertRejected(verifier.verify(signed(SECRET, T, EVENT).header("X-Slack-Request-Timestamp", Long.toString(T))),
        Reason.MALFORMED_SIGNATURE);
    TestRequest twice = signed(SECRET, T, EVENT);
    twice.header("X-Slack-Signature", twice.header("X-Slack-Signature"));
    assertRejected(verifier.verify(twice), Reason.MALFORMED_SIGNATURE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "v0", "v0=", "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
      "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b50",
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b5033"})
  void rejectsMalformedSignatureHeaders(String header) {
    TestRequest request = TestRequest.at(NOW).body(DOCS_BODY)
        .header("X-Slack-Request-Timestamp", "1531420618").header("X-Slack-Signature", header);
    assertRejected(verifier.verify(request), Reason.MALFORMED_SIGNATURE);
  }
}
