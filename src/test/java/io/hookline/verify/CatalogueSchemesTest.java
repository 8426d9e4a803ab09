package io.hookline.verify;

import io.hookline.verify.provider.Providers;

import io.hookline.verify.provider.Verifiers;
import static io.hookline.verify.Signing.base64;
import static io.hookline.verify.Signing.hex;
import static io.hookline.verify.Signing.hmac;
import static io.hookline.verify.Signing.utf8;
import static io.hookline.verify.Verdicts.assertAccepted;
import static io.hookline.verify.Verdicts.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.config.Secret;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HMAC-family providers of SPEC's catalogue, each signed here the way its documentation says
 * (plain javax.crypto, header names spelled as the provider spells them, independently of the
 * declarations and of {@code send}'s signers): valid with id and type, duplicate (same id, same
 * key), tampered body, wrong secret, missing and malformed header, stale and future timestamps
 * where the provider signs one.
 */
class CatalogueSchemesTest {
  static final long NOW = 1_765_000_000_000L;
  static final String SECRET = "catalogue-secret-0123456789";
  static final String OTHER = "not-the-configured-secret";
  static final String WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String WHSEC_OTHER = "whsec_" + Base64.getEncoder().encodeToString(utf8("another key, 32 bytes long......"));

  /** Signs {@code body} with {@code secret} at {@code seconds}, the provider's way. */
  @FunctionalInterface
  interface Sender {
    TestRequest sign(String secret, byte[] body, long seconds);
  }

  /**
   * One provider: its configured secret, a body, how it is signed, the header a forger would
   * garble, a malformed value of it, and the id and type expected ({@code null} id = the body's SHA-256).
   */
  record Case(String provider, String secret, String wrongSecret, String body, Sender sender, String signatureHeader,
              String malformed, String id, String type, boolean signsBody, boolean signsTime) {
    @Override
    public String toString() {
      return provider;
    }

    TestRequest signed(long seconds) {
      return sender.sign(secret, utf8(body), seconds).receivedAt(NOW);
    }

    TestRequest signed() {
      return signed(NOW / 1000);
    }

    SignatureVerifier verifier() {
      return verifier(null);
    }

    SignatureVerifier verifier(java.time.Duration tolerance) {
      return Verifiers.create(new VerifierSpec("s", provider, List.of(Secret.of(secret)), tolerance, Map.of(), "sources[0]"));
    }
  }

  /** A timestamp this many seconds old is inside the provider's documented window, the next second outside it. */
  @ParameterizedTest(name = "{0} {1}s")
  @org.junit.jupiter.params.provider.CsvSource({"linear, 60", "calendly, 180", "box, 600"})
  void aSourceWithoutToleranceSecondsGetsItsProvidersDocumentedWindow(String provider, long window) {
    Case c = cases().filter(x -> x.provider.equals(provider)).findFirst().orElseThrow();
    assertAccepted(c.verifier().verify(c.signed(NOW / 1000 - window + 1)));
    assertRejected(c.verifier().verify(c.signed(NOW / 1000 - window - 1)), Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    assertAccepted(c.verifier(java.time.Duration.ofSeconds(window + 60)).verify(c.signed(NOW / 1000 - window - 1)));
  }

  static String hmac256Hex(String secret, byte[]... parts) {
    return hex(hmac("HmacSHA256", utf8(secret), parts));
  }

  static String hmac256Base64(String secret, byte[]... parts) {
    return base64(hmac("HmacSHA256", utf8(secret), parts));
  }

  static String hmac1Hex(String secret, byte[]... parts) {
    return hex(hmac("HmacSHA1", utf8(secret), parts));
  }

  /** Standard Webhooks through Svix: key = base64 after {@code whsec_}, over {@code id.ts.body}, {@code svix-*} headers. */
  static Case svixStyle(String provider) {
    return new Case(provider, WHSEC, WHSEC_OTHER, "{\"type\":\"user.created\",\"data\":{\"id\":\"user_1\"}}",
        (secret, body, t) -> {
          byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
          String signature = base64(hmac("HmacSHA256", key, utf8("msg_2Lh9KRb0pzN." + t + "."), body));
          return TestRequest.at(NOW).body(body).header("svix-id", "msg_2Lh9KRb0pzN").header("svix-timestamp", Long.toString(t))
              .header("svix-signature", "v1," + signature);
        }, "svix-signature", "v1,not-base64!", "msg_2Lh9KRb0pzN", "user.created", true, true);
  }

  static Stream<Case> cases() {
    return Stream.of(
        svixStyle("svix"),
        svixStyle("clerk"),
        svixStyle("resend"),
        new Case("gitlab", SECRET, OTHER, "{\"object_kind\":\"push\"}",
            (secret, body, t) -> TestRequest.at(NOW).body(body).header("X-Gitlab-Token", secret)
                .header("Idempotency-Key", "5f0a1c7e-idem").header("X-Gitlab-Event-UUID", "uuid-other")
                .header("X-Gitlab-Event", "Push Hook"),
            "X-Gitlab-Token", null, "5f0a1c7e-idem", "Push Hook", false, false),
        new Case("bitbucket", SECRET, OTHER, "{\"push\":{}}",
            (secret, body, t) -> TestRequest.at(NOW).body(body).header("X-Hub-Signature", "sha256=" + hmac256Hex(secret, body))
                .header("X-Request-UUID", "bb-req-1").header("X-Event-Key", "repo:push"),
            "X-Hub-Signature", "sha1=" + "ab".repeat(20), "bb-req-1", "repo:push", true, false),
        new Case("gitea", SECRET, OTHER, "{\"ref\":\"refs/heads/main\"}",
            (secret, body, t) -> TestRequest.at(NOW).body(body).header("X-Gitea-Signature", hmac256Hex(secret, body))
                .header("X-Gitea-Delivery", "gt-delivery-1").header("X-Gitea-Event", "push"),
            "X-Gitea-Signature", "sha256=" + "ab".repeat(32), "gt-delivery-1", "push", true, false),
        new Case("linear", SECRET, OTHER, "{}", // the body carries its signing time: built by the sender
            (secret, ignored, t) -> {
              byte[] body = utf8("{\"action\":\"create\",\"type\":\"Issue\",\"webhookTimestamp\":" + (t * 1000 + 123) + "}");
              return TestRequest.at(NOW).body(body).header("Linear-Signature", hmac256Hex(secret, body))
                  .header("Linear-Delivery", "lin-delivery-1").header("Linear-Event", "Issue");
            },
            "Linear-Signature", "zz".repeat(32), "lin-delivery-1", "Issue", true, true),
        new Case("intercom", SECRET, OTHER, "{\"type\":\"notification_event\",\"id\":\"notif_ccd8a4d2\",\"topic\":\"conversation.user.created\"}",
            (secret, body, t) -> TestRequest.at(NOW).body(body).header("X-Hub-Signature", "sha1=" + hmac1Hex(secret, body)),
            "X-Hub-Signature", "sha256=" + "ab".repeat(32), "notif_ccd8a4d2", "conversation.user.created", true, false),
        new Case("typeform", SECRET, OTHER, "{\"event_id\":\"01HTF\",\"event_type\":\"form_response\"}",
            (secret, body, t) -> TestRequest.at(NOW).body(body).header("Typeform-Signature", "sha256=" + hmac256Base64(secret, body)),
            "Typeform-Signature", "sha256=" + "ab".repeat(32), "01HTF", "form_response", true, false),
        new Case("calendly", SECRET, OTHER, "{\"event\":\"invitee.created\",\"payload\":{}}",
            (secret, body, t) -> TestRequest.at(NOW).body(body).header("Calendly-Webhook-Signature",
                "t=" + t + ",v1=" + hmac256Hex(secret, utf8(t + "."), body)),
            "Calendly-Webhook-Signature", "t=1,v1=xyz", null, "invitee.created", true, true),
        new Case("razorpay", SECRET, OTHER, "{\"entity\":\"event\",\"event\":\"payment.captured\"}",
            (secret, body, t) -> TestRequest.at(NOW).body(body).header("X-Razorpay-Signature", hmac256Hex(secret, body))
                .header("x-razorpay-event-id", "HF1mSDxxTvr9Wm"),
            "X-Razorpay-Signature", "not hex", "HF1mSDxxTvr9Wm", "payment.captured", true, false),
        new Case("sentry", SECRET, OTHER, "{\"action\":\"created\",\"data\":{}}",
            (secret, body, t) -> TestRequest.at(NOW).body(body).header("Sentry-Hook-Signature", hmac256Hex(secret, body))
                .header("Request-ID", "sentry-req-1").header("Sentry-Hook-Resource", "issue"),
            "Sentry-Hook-Signature", "ab".repeat(20), "sentry-req-1", "issue", true, false),
        new Case("vercel", SECRET, OTHER, "{\"id\":\"evt_vercel_1\",\"type\":\"deployment.created\"}",
            (secret, body, t) -> TestRequest.at(NOW).body(body).header("x-vercel-signature", hmac1Hex(secret, body)),
            "x-vercel-signature", hmac256Hex(SECRET, utf8("x")), "evt_vercel_1", "deployment.created", true, false),
        new Case("pagerduty", SECRET, OTHER, "{\"event\":{\"id\":\"01DEN5Q\",\"event_type\":\"incident.triggered\"}}",
            (secret, body, t) -> TestRequest.at(NOW).body(body).header("X-PagerDuty-Signature", "v1=" + hmac256Hex(secret, body)),
            "X-PagerDuty-Signature", "v1=xyz", "01DEN5Q", "incident.triggered", true, false),
        new Case("mux", SECRET, OTHER, "{\"type\":\"video.asset.ready\",\"id\":\"mux-evt-1\"}",
            (secret, body, t) -> TestRequest.at(NOW).body(body).header("Mux-Signature",
                "t=" + t + ",v1=" + hmac256Hex(secret, utf8(t + "."), body)),
            "Mux-Signature", "v1=" + "ab".repeat(32), "mux-evt-1", "video.asset.ready", true, true),
        new Case("lemonsqueezy", SECRET, OTHER, "{\"meta\":{\"event_name\":\"order_created\"},\"data\":{}}",
            (secret, body, t) -> TestRequest.at(NOW).body(body).header("X-Signature", hmac256Hex(secret, body))
                .header("X-Event-Name", "order_created"),
            "X-Signature", "ab".repeat(31), null, "order_created", true, false),
        new Case("coinbase", SECRET, OTHER, "{\"event\":{\"id\":\"cb-evt-1\",\"type\":\"charge:confirmed\"}}",
            (secret, body, t) -> TestRequest.at(NOW).body(body).header("X-CC-Webhook-Signature", hmac256Hex(secret, body)),
            "X-CC-Webhook-Signature", "ab".repeat(33), "cb-evt-1", "charge:confirmed", true, false),
        new Case("box", SECRET, OTHER, "{\"type\":\"webhook_event\",\"id\":\"box-evt-1\",\"trigger\":\"FILE.UPLOADED\"}",
            (secret, body, t) -> {
              String ts = Instant.ofEpochSecond(t).toString();
              return TestRequest.at(NOW).body(body).header("BOX-DELIVERY-ID", "delivery-changes-on-retry")
                  .header("BOX-DELIVERY-TIMESTAMP", ts).header("BOX-SIGNATURE-PRIMARY", hmac256Base64(secret, body, utf8(ts)));
            },
            "BOX-SIGNATURE-PRIMARY", "ab".repeat(32), "box-evt-1", "FILE.UPLOADED", true, true),
        new Case("docusign", SECRET, OTHER,
            "{\"event\":\"envelope-sent\",\"retryCount\":0,\"generatedDateTime\":\"2025-12-06T05:46:40.000Z\",\"data\":{\"envelopeId\":\"93be49ab\"}}",
            (secret, body, t) -> TestRequest.at(NOW).body(body).header("X-DocuSign-Signature-1", hmac256Base64(secret, body)),
            "X-DocuSign-Signature-1", "not base64!", "93be49ab@2025-12-06T05:46:40.000Z", "envelope-sent", true, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aRequestSignedAsTheProviderDocumentsIsAcceptedWithItsIdAndType(Case c) {
    assertAccepted(c.verifier().verify(c.signed()), c.id(), c.type());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theSameEventSentAgainHasTheSameDedupKey(Case c) {
    SignatureVerifier verifier = c.verifier();
    TestRequest first = c.signed(NOW / 1000 - 30);
    TestRequest again = c.signed(NOW / 1000 - 2);
    Verification a = verifier.verify(first);
    Verification b = verifier.verify(again);
    assertAccepted(a);
    assertAccepted(b);
    assertThat(EventIds.dedupKey(b.eventId(), again.body())).isEqualTo(EventIds.dedupKey(a.eventId(), first.body()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aTamperedBodyIsRefused(Case c) {
    TestRequest tampered = c.signed();
    byte[] body = tampered.body().clone();
    body[body.length - 2] ^= 1;
    tampered.body(body);
    Verification v = c.verifier().verify(tampered);
    if (c.signsBody()) {
      assertRejected(v, Reason.INVALID_SIGNATURE);
    } else {
      // A token scheme authenticates the sender, not the body (README row says so).
      assertAccepted(v);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aWrongSecretIsRefused(Case c) {
    TestRequest forged = c.sender().sign(c.wrongSecret(), c.signed().body(), NOW / 1000).receivedAt(NOW);
    assertRejected(c.verifier().verify(forged), Reason.INVALID_SIGNATURE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aMissingSignatureHeaderIsRefused(Case c) {
    assertRejected(c.verifier().verify(c.signed().setHeader(c.signatureHeader(), null)), Reason.MISSING_SIGNATURE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aMalformedOrRepeatedSignatureHeaderIsRefused(Case c) {
    TestRequest repeated = c.signed();
    repeated.header(c.signatureHeader(), repeated.header(c.signatureHeader()));
    assertRejected(c.verifier().verify(repeated), Reason.MALFORMED_SIGNATURE);
    if (c.malformed() != null) {
      assertRejected(c.verifier().verify(c.signed().setHeader(c.signatureHeader(), c.malformed())), Reason.MALFORMED_SIGNATURE);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aStaleOrFutureTimestampIsRefusedWhereTheProviderSignsOne(Case c) {
    long outside = io.hookline.verify.provider.Providers.find(c.provider).defaultTolerance().toSeconds() + 1;
    Verification stale = c.verifier().verify(c.signed(NOW / 1000 - outside));
    Verification future = c.verifier().verify(c.signed(NOW / 1000 + outside));
    if (c.signsTime()) {
      assertRejected(stale, Reason.TIMESTAMP_OUT_OF_TOLERANCE);
      assertRejected(future, Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    } else {
      assertAccepted(stale); // nothing signed says when: the dedup key is what stops repeats
      assertAccepted(future);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void anIdHeaderWithAControlCharacterIsAMalformedEventId(Case c) {
    TestRequest signed = c.signed();
    for (String header : List.of("svix-id", "Idempotency-Key", "X-Request-UUID", "X-Gitea-Delivery", "Linear-Delivery",
        "x-razorpay-event-id", "Request-ID")) {
      if (signed.header(header) != null) {
        assertRejected(c.verifier().verify(signed.setHeader(header, "id\u0001x")), Reason.MALFORMED_EVENT_ID);
        return;
      }
    }
  }

  @Test
  void everyHmacFamilyProviderOfTheCatalogueIsCovered() {
    assertThat(cases().map(Case::provider)).containsExactlyInAnyOrder("svix", "clerk", "resend", "gitlab", "bitbucket",
        "gitea", "linear", "intercom", "typeform", "calendly", "razorpay", "sentry", "vercel", "pagerduty", "mux",
        "lemonsqueezy", "coinbase", "box", "docusign");
    assertThat(Providers.names()).containsAll(cases().map(Case::provider).toList());
  }

  @Test
  void gitlabFallsBackToTheEventUuidOnOlderGitLab() {
    Case gitlab = cases().filter(c -> c.provider().equals("gitlab")).findFirst().orElseThrow();
    assertAccepted(gitlab.verifier().verify(gitlab.signed().setHeader("Idempotency-Key", null)), "uuid-other", "Push Hook");
  }

  @Test
  void forgejoHeadersAloneAreEnoughForGitea() {
    Case gitea = cases().filter(c -> c.provider().equals("gitea")).findFirst().orElseThrow();
    byte[] body = utf8(gitea.body());
    TestRequest forgejo = TestRequest.at(NOW).body(body).header("X-Forgejo-Signature", hmac256Hex(SECRET, body))
        .header("X-Forgejo-Delivery", "fj-1").header("X-Forgejo-Event", "push");
    assertAccepted(gitea.verifier().verify(forgejo), "fj-1", "push");
    // Forgejo sends both headers; any candidate matching is enough.
    assertAccepted(gitea.verifier().verify(forgejo.copy().header("X-Gitea-Signature", "ab".repeat(32))));
  }

  @Test
  void pagerDutyAcceptsAnyOfSeveralSignaturesAndIgnoresOtherVersions() {
    Case pd = cases().filter(c -> c.provider().equals("pagerduty")).findFirst().orElseThrow();
    TestRequest signed = pd.signed();
    String good = signed.header("X-PagerDuty-Signature");
    String other = "v1=" + hmac256Hex(OTHER, utf8(pd.body()));
    assertAccepted(pd.verifier().verify(signed.copy().setHeader("X-PagerDuty-Signature", other + "," + good)));
    assertAccepted(pd.verifier().verify(signed.copy().setHeader("X-PagerDuty-Signature", "v2=abc, " + good)));
    assertRejected(pd.verifier().verify(signed.copy().setHeader("X-PagerDuty-Signature", other)), Reason.INVALID_SIGNATURE);
    assertRejected(pd.verifier().verify(signed.copy().setHeader("X-PagerDuty-Signature", good + ",")), Reason.MALFORMED_SIGNATURE);
  }

  @Test
  void boxAcceptsItsSecondarySignatureWithTheSecondaryKey() {
    byte[] body = utf8("{\"type\":\"webhook_event\",\"id\":\"box-2\",\"trigger\":\"FILE.DELETED\"}");
    String ts = Instant.ofEpochMilli(NOW).atOffset(java.time.ZoneOffset.ofHours(-8)).toString();
    TestRequest request = TestRequest.at(NOW).body(body).header("BOX-DELIVERY-TIMESTAMP", ts)
        .header("BOX-SIGNATURE-PRIMARY", hmac256Base64("old-primary", body, utf8(ts)))
        .header("BOX-SIGNATURE-SECONDARY", hmac256Base64("secondary-key", body, utf8(ts)));
    SignatureVerifier box = Verifiers.create(new VerifierSpec("s", "box", List.of(Secret.of("primary-key"), Secret.of("secondary-key")),
        null, Map.of(), "sources[0]"));
    assertAccepted(box.verify(request), "box-2", "FILE.DELETED");
    assertRejected(box.verify(request.copy().setHeader("BOX-DELIVERY-TIMESTAMP", "yesterday")), Reason.MALFORMED_SIGNATURE);
  }

  @Test
  void docuSignChecksEveryNumberedSignature() {
    Case ds = cases().filter(c -> c.provider().equals("docusign")).findFirst().orElseThrow();
    TestRequest signed = ds.signed();
    String good = signed.header("X-DocuSign-Signature-1");
    TestRequest second = signed.copy().setHeader("X-DocuSign-Signature-1", hmac256Base64(OTHER, utf8(ds.body())))
        .header("X-DocuSign-Signature-2", good);
    assertAccepted(ds.verifier().verify(second));
    // Only -1, -2, … in sequence are read: a lone -3 is not a signature.
    assertRejected(ds.verifier().verify(signed.copy().setHeader("X-DocuSign-Signature-1", null)
        .header("X-DocuSign-Signature-3", good)), Reason.MISSING_SIGNATURE);
  }

  @Test
  void linearWithoutItsSignedTimestampIsRefused() {
    byte[] body = utf8("{\"action\":\"create\",\"type\":\"Issue\"}");
    TestRequest request = TestRequest.at(NOW).body(body).header("Linear-Signature", hmac256Hex(SECRET, body));
    Case linear = cases().filter(c -> c.provider().equals("linear")).findFirst().orElseThrow();
    assertRejected(linear.verifier().verify(request), Reason.MALFORMED_SIGNATURE);
  }

  @Test
  void fixedSchemesTakeNoOptions() {
    for (String provider : cases().map(Case::provider).toList()) {
      String secret = provider.matches("svix|clerk|resend") ? WHSEC : SECRET;
      VerifierSpec spec = new VerifierSpec("s", provider, List.of(Secret.of(secret)), null, Map.of("header", "X"), "sources[1]");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Verifiers.create(spec))
          .as(provider).hasMessageStartingWith("sources[1]." + provider + ".header: ");
    }
  }
}
