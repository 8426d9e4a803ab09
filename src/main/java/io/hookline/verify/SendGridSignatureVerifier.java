package io.hookline.verify;

import io.hookline.config.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * SendGrid signed event webhook: {@code X-Twilio-Email-Event-Webhook-Signature: <base64 DER ECDSA
 * signature>} with SHA-256 over {@code X-Twilio-Email-Event-Webhook-Timestamp} followed by the raw
 * body, checked against the verification key (the source's secret: the base64 DER public key SendGrid
 * shows, parsed and checked to be P-256 at start-up). The source's tolerance applies to the signed
 * timestamp. A batch of events has no id of its own, so the body's SHA-256 is the dedup key; the type
 * is {@code sendgrid.events}.
 */
public final class SendGridSignatureVerifier implements SignatureVerifier {
  static final String SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";
  static final String TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";
  static final String EVENT_TYPE = "sendgrid.events";
  /** A DER ECDSA P-256 signature is at most 72 bytes. */
  private static final int MAX_SIGNATURE_BYTES = 72;

  private static final Verification MISSING = Verification.rejected(Reason.MISSING_SIGNATURE,
      "X-Twilio-Email-Event-Webhook-Signature or -Timestamp header is missing");
  private static final Verification MALFORMED = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "X-Twilio-Email-Event-Webhook-Signature is not the base64 of a DER ECDSA signature");
  private static final Verification BAD_TIMESTAMP = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "X-Twilio-Email-Event-Webhook-Timestamp is not unix seconds");
  private static final Verification NO_MATCH = Verification.rejected(Reason.INVALID_SIGNATURE,
      "X-Twilio-Email-Event-Webhook-Signature does not verify with any active public key of this source");
  private static final Verification STALE = Verification.rejected(Reason.TIMESTAMP_OUT_OF_TOLERANCE,
      "X-Twilio-Email-Event-Webhook-Timestamp is outside the tolerance window");

  private final EcdsaP256Key[] keys;
  private final long toleranceMillis;

  SendGridSignatureVerifier(List<EcdsaP256Key> keys, long toleranceMillis) {
    this.keys = keys.toArray(new EcdsaP256Key[0]);
    this.toleranceMillis = toleranceMillis;
  }

  /** Each secret is the verification key as SendGrid shows it: base64 of the DER public key (PEM armour allowed). */
  static SendGridSignatureVerifier create(ProviderSetup setup) {
    List<Secret> secrets = setup.secrets();
    List<EcdsaP256Key> keys = new ArrayList<>();
    for (int i = 0; i < secrets.size(); i++) {
      String value = secrets.get(i).value()
          .replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
          .replaceAll("\\s", "");
      byte[] der = value.isEmpty() ? null : Codecs.base64Lenient(value, 0, value.length());
      if (der == null) {
        throw setup.secretError(i,
            "must be SendGrid's verification key: the base64 of a DER ECDSA P-256 public key");
      }
      try {
        keys.add(new EcdsaP256Key(secrets.get(i), der));
      } catch (IllegalArgumentException e) {
        throw setup.secretError(i, "is not a valid ECDSA P-256 public key: " + e.getMessage());
      }
    }
    return new SendGridSignatureVerifier(keys, setup.toleranceMillis());
  }

  @Override
  public Verification verify(WebhookRequest request) {
    HeaderRead signature = HeaderRead.required(request, SIGNATURE_HEADER, MISSING);
    if (signature.problem() != null) {
      return signature.problem();
    }
    HeaderRead timestamp = HeaderRead.required(request, TIMESTAMP_HEADER, MISSING);
    if (timestamp.problem() != null) {
      return timestamp.problem();
    }
    byte[] provided = Codecs.base64(signature.value(), signature.from(), signature.to());
    if (provided == null || provided.length < 8 || provided.length > MAX_SIGNATURE_BYTES || provided[0] != 0x30) {
      return MALFORMED;
    }
    String ts = timestamp.value().substring(timestamp.from(), timestamp.to());
    long seconds = Timestamps.parseSeconds(ts);
    if (seconds < 0) {
      return BAD_TIMESTAMP;
    }
    byte[] body = request.body();
    long now = request.receivedAtMillis();
    byte[] signedPrefix = ts.getBytes(StandardCharsets.US_ASCII);
    boolean matched = false;
    for (EcdsaP256Key key : keys) {
      if (key.activeAt(now) && key.verify(signedPrefix, body, provided)) {
        matched = true;
        break;
      }
    }
    if (!matched) {
      return NO_MATCH;
    }
    if (!Timestamps.within(seconds, now, toleranceMillis)) {
      return STALE;
    }
    return EventIds.accept(null, EVENT_TYPE);
  }
}
