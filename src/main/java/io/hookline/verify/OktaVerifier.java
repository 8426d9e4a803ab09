package io.hookline.verify;

import java.util.List;

/**
 * Okta event hooks: the {@code Authorization} header equals the secret set on the hook (compared in
 * constant time against every active secret). Id is the body's {@code eventId}, type its
 * {@code eventType}. Okta verifies the endpoint once with a GET carrying
 * {@code x-okta-verification-challenge} (and the same Authorization header, which is checked):
 * answered {@code {"verification":"<challenge>"}}, nothing stored.
 */
public final class OktaVerifier implements SignatureVerifier {
  static final String HEADER = "Authorization";
  static final String CHALLENGE_HEADER = "x-okta-verification-challenge";
  private static final JsonFields ID_AND_TYPE = JsonFields.of("/eventId", "/eventType");

  private static final Verification MISSING = Verification.rejected(Reason.MISSING_SIGNATURE,
      "Authorization header is missing");
  private static final Verification NO_MATCH = Verification.rejected(Reason.INVALID_SIGNATURE,
      "Authorization header does not match any active secret of this source");
  private static final Verification NO_CHALLENGE = Verification.rejected(Reason.MISSING_SIGNATURE,
      "an Okta verification needs the x-okta-verification-challenge header");
  private static final Verification BAD_CHALLENGE = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "x-okta-verification-challenge must be 1 to 1024 printable ASCII characters without < > & \" ' \\ `");

  private static final List<String> CREDENTIALS = List.of(HEADER);

  private final List<io.hookline.config.Secret> secrets;

  OktaVerifier(List<io.hookline.config.Secret> secrets) {
    this.secrets = secrets;
  }

  @Override
  public Verification verify(WebhookRequest request) {
    Verification problem = authorize(request);
    if (problem != null) {
      return problem;
    }
    String[] idAndType = ID_AND_TYPE.read(request.body());
    return EventIds.accept(idAndType[0], idAndType[1]);
  }

  @Override
  public Verification answerGet(WebhookRequest request) {
    Verification problem = authorize(request);
    if (problem != null) {
      return problem;
    }
    HeaderRead challenge = HeaderRead.of(request, CHALLENGE_HEADER);
    if (challenge.problem() != null) {
      return challenge.problem();
    }
    if (challenge.absent()) {
      return NO_CHALLENGE;
    }
    if (!SchemeParts.echoable(challenge.value())) {
      return BAD_CHALLENGE;
    }
    return Verification.handshake(SchemeParts.utf8("{\"verification\":" + SchemeParts.jsonString(challenge.value()) + "}"),
        "application/json");
  }

  /** The Authorization header is the secret itself: never stored with the event. */
  @Override
  public List<String> credentialHeaders() {
    return CREDENTIALS;
  }

  private Verification authorize(WebhookRequest request) {
    HeaderRead auth = HeaderRead.required(request, HEADER, MISSING);
    if (auth.problem() != null) {
      return auth.problem();
    }
    return SchemeParts.equalsAnySecret(secrets, request.receivedAtMillis(), auth.value()) ? null : NO_MATCH;
  }
}
