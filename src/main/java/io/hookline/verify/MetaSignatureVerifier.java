package io.hookline.verify;

/**
 * Meta (Facebook, Instagram, WhatsApp): {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the
 * body>} with the app secret. Meta sends no event id (body SHA-256 is the key); the type is the
 * body's {@code object}. The subscription check is a GET with {@code hub.mode=subscribe},
 * {@code hub.verify_token} and {@code hub.challenge}: the challenge is echoed only when the token
 * equals the source's {@code verifyToken} option (without that option every GET is refused).
 */
public final class MetaSignatureVerifier implements SignatureVerifier {
  static final String HEADER = "X-Hub-Signature-256";
  private static final JsonFields OBJECT = JsonFields.of("/object");

  private static final Verification NO_TOKEN_CONFIGURED = Verification.rejected(Reason.INVALID_SIGNATURE,
      "this source has no meta.verifyToken, so it answers no subscription check");
  private static final Verification NOT_SUBSCRIBE = Verification.rejected(Reason.MISSING_SIGNATURE,
      "a subscription check needs hub.mode=subscribe, hub.verify_token and hub.challenge");
  private static final Verification WRONG_TOKEN = Verification.rejected(Reason.INVALID_SIGNATURE,
      "hub.verify_token does not match this source's verifyToken");
  private static final Verification BAD_CHALLENGE = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "hub.challenge must be 1 to 1024 printable ASCII characters without < > & \" ' \\ `");

  private final BodyHmacCheck check;
  private final String verifyToken;

  MetaSignatureVerifier(HmacKey[] keys, String verifyToken) {
    this.check = new BodyHmacCheck(HEADER, "sha256=", false, keys);
    this.verifyToken = verifyToken;
  }

  @Override
  public Verification verify(WebhookRequest request) {
    Verification problem = check.check(request);
    if (problem != null) {
      return problem;
    }
    return EventIds.accept(null, OBJECT.read(request.body())[0]);
  }

  @Override
  public Verification answerGet(WebhookRequest request) {
    String mode = SchemeParts.queryParam(request, "hub.mode");
    String token = SchemeParts.queryParam(request, "hub.verify_token");
    String challenge = SchemeParts.queryParam(request, "hub.challenge");
    if (!"subscribe".equals(mode) || token == null || challenge == null) {
      return NOT_SUBSCRIBE;
    }
    if (verifyToken == null) {
      return NO_TOKEN_CONFIGURED;
    }
    if (token == SchemeParts.AMBIGUOUS || !SchemeParts.constantTimeEquals(verifyToken, token)) {
      return WRONG_TOKEN;
    }
    if (challenge == SchemeParts.AMBIGUOUS || !SchemeParts.echoable(challenge)) {
      return BAD_CHALLENGE;
    }
    return Verification.handshake(SchemeParts.utf8(challenge), "text/plain");
  }
}
