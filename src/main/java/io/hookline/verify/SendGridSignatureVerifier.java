package io.hookline.verify;

import io.hookline.config.Secret;
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

  private final TimestampedKeySignature signature;

  SendGridSignatureVerifier(List<VerifyingKey> keys, long toleranceMillis) {
    this.signature = new TimestampedKeySignature(SIGNATURE_HEADER, TIMESTAMP_HEADER,
        SendGridSignatureVerifier::derSignature, SIGNATURE_HEADER + " is not the base64 of a DER ECDSA signature",
        keys.toArray(new VerifyingKey[0]), toleranceMillis);
  }

  private static byte[] derSignature(String value, int from, int to) {
    byte[] der = Codecs.base64(value, from, to);
    return der == null || der.length < 8 || der.length > MAX_SIGNATURE_BYTES || der[0] != 0x30 ? null : der;
  }

  /** Each secret is the verification key as SendGrid shows it: base64 of the DER public key (PEM armour allowed). */
  static SendGridSignatureVerifier create(ProviderSetup setup) {
    List<Secret> secrets = setup.secrets();
    List<VerifyingKey> keys = new ArrayList<>();
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
        keys.add(EcdsaP256Key.parse(secrets.get(i), der));
      } catch (IllegalArgumentException e) {
        throw setup.secretError(i, "is not a valid ECDSA P-256 public key: " + e.getMessage());
      }
    }
    return new SendGridSignatureVerifier(keys, setup.toleranceMillis());
  }

  @Override
  public Verification verify(WebhookRequest request) {
    Verification problem = signature.check(request);
    return problem != null ? problem : EventIds.accept(null, EVENT_TYPE);
  }
}
