package io.hookline.verify;

import io.hookline.config.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Discord interactions: {@code X-Signature-Ed25519: <hex Ed25519 signature>} over
 * {@code X-Signature-Timestamp} followed by the raw body, checked against the application's public
 * key (the source's secret, 64 hex characters, decoded and checked on the curve at start-up). Discord
 * documents no replay window; the source's tolerance is applied to the signed timestamp anyway.
 * A PING ({@code "type":1}) is answered {@code {"type":1}} once the signature holds and is not stored.
 * Event id is the body's {@code id}, type its {@code type}.
 */
public final class DiscordSignatureVerifier implements SignatureVerifier {
  static final String SIGNATURE_HEADER = "X-Signature-Ed25519";
  static final String TIMESTAMP_HEADER = "X-Signature-Timestamp";
  private static final JsonFields ID_AND_TYPE = JsonFields.of("/id", "/type");
  private static final byte[] PONG = "{\"type\":1}".getBytes(StandardCharsets.US_ASCII);

  private final TimestampedKeySignature signature;

  DiscordSignatureVerifier(List<VerifyingKey> keys, long toleranceMillis) {
    this.signature = new TimestampedKeySignature(SIGNATURE_HEADER, TIMESTAMP_HEADER,
        (value, from, to) -> Codecs.hex(value, from, to, Ed25519Key.SIGNATURE_BYTES),
        SIGNATURE_HEADER + " is not 128 hex characters", keys.toArray(new VerifyingKey[0]), toleranceMillis);
  }

  /** Each secret is the application's public key as the Developer Portal shows it: 64 hex characters. */
  static DiscordSignatureVerifier create(ProviderSetup setup) {
    List<Secret> secrets = setup.secrets();
    List<VerifyingKey> keys = new ArrayList<>();
    for (int i = 0; i < secrets.size(); i++) {
      String value = secrets.get(i).value().trim();
      byte[] raw = Codecs.hex(value, 0, value.length(), Ed25519Key.KEY_BYTES);
      if (raw == null) {
        throw setup.secretError(i,
            "must be the application's Ed25519 public key: 64 hex characters");
      }
      try {
        keys.add(Ed25519Key.parse(secrets.get(i), raw));
      } catch (IllegalArgumentException e) {
        throw setup.secretError(i, "is not a valid Ed25519 public key: " + e.getMessage());
      }
    }
    return new DiscordSignatureVerifier(keys, setup.toleranceMillis());
  }

  @Override
  public Verification verify(WebhookRequest request) {
    Verification problem = signature.check(request);
    if (problem != null) {
      return problem;
    }
    String[] idAndType = ID_AND_TYPE.read(request.body());
    if ("1".equals(idAndType[1])) {
      return Verification.handshake(PONG, "application/json");
    }
    return EventIds.accept(idAndType[0], idAndType[1]);
  }
}
