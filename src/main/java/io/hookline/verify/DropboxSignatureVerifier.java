package io.hookline.verify;

/**
 * Dropbox: {@code X-Dropbox-Signature: <hex HMAC-SHA256 of the body>} with the app secret. A
 * notification only says "these accounts changed": no id (body SHA-256 is the key), type
 * {@code dropbox.notification}. The endpoint check is {@code GET ?challenge=…}, echoed as text/plain
 * (Dropbox signs nothing on it; the echo is bounded and printable only).
 */
public final class DropboxSignatureVerifier implements SignatureVerifier {
  static final String HEADER = "X-Dropbox-Signature";
  static final String EVENT_TYPE = "dropbox.notification";

  private static final Verification NO_CHALLENGE = Verification.rejected(Reason.MISSING_SIGNATURE,
      "a Dropbox endpoint check needs ?challenge=");
  private static final Verification BAD_CHALLENGE = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "challenge must be 1 to 1024 printable ASCII characters without < > & \" ' \\ `, given once");

  private final BodyHmacCheck check;

  DropboxSignatureVerifier(HmacKey[] keys) {
    this.check = new BodyHmacCheck(HEADER, "", false, keys);
  }

  @Override
  public Verification verify(WebhookRequest request) {
    Verification problem = check.check(request);
    return problem != null ? problem : EventIds.accept(null, EVENT_TYPE);
  }

  @Override
  public Verification answerGet(WebhookRequest request) {
    String challenge = SchemeParts.queryParam(request, "challenge");
    if (challenge == null) {
      return NO_CHALLENGE;
    }
    if (challenge == SchemeParts.AMBIGUOUS || !SchemeParts.echoable(challenge)) {
      return BAD_CHALLENGE;
    }
    return Verification.handshake(SchemeParts.utf8(challenge), "text/plain");
  }
}
