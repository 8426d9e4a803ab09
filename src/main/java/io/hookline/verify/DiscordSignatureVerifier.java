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

  private static final Verification MISSING = Verification.rejected(Reason.MISSING_SIGNATURE,
      "X-Signature-Ed25519 or X-Signature-Timestamp header is missing");
  private static final Verification MALFORMED = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "X-Signature-Ed25519 is not 128 hex characters");
  private static final Verification BAD_TIMESTAMP = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "X-Signature-Timestamp is not unix seconds");
  private static final Verification NO_MATCH = Verification.rejected(Reason.INVALID_SIGNATURE,
      "X-Signature-Ed25519 does not verify with any active public key of this source");
  private static final Verification STALE = Verification.rejected(Reason.TIMESTAMP_OUT_OF_TOLERANCE,
      "X-Signature-Timestamp is outside the tolerance window");

  private final Ed25519Key[] keys;
  private final long toleranceMillis;

  DiscordSignatureVerifier(List<Ed25519Key> keys, long toleranceMillis) {
    this.keys = keys.toArray(new Ed25519Key[0]);
    this.toleranceMillis = toleranceMillis;
  }

  /** Each secret is the application's public key as the Developer Portal shows it: 64 hex characters. */
  static DiscordSignatureVerifier create(ProviderSetup setup) {
    List<Secret> secrets = setup.secrets();
    List<Ed25519Key> keys = new ArrayList<>();
    for (int i = 0; i < secrets.size(); i++) {
      String value = secrets.get(i).value().trim();
      byte[] raw = Codecs.hex(value, 0, value.length(), Ed25519Key.KEY_BYTES);
      if (raw == null) {
        throw setup.secretError(i,
            "must be the application's Ed25519 public key: 64 hex characters");
      }
      try {
        keys.add(new Ed25519Key(secrets.get(i), raw));
      } catch (IllegalArgumentException e) {
        throw setup.secretError(i, "is not a valid Ed25519 public key: " + e.getMessage());
      }
    }
    return new DiscordSignatureVerifier(keys, setup.toleranceMillis());
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
    byte[] provided = Codecs.hex(signature.value(), signature.from(), signature.to(), Ed25519Key.SIGNATURE_BYTES);
    if (provided == null) {
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
    for (Ed25519Key key : keys) {
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
    String[] idAndType = ID_AND_TYPE.read(body);
    if ("1".equals(idAndType[1])) {
      return Verification.handshake(PONG, "application/json");
    }
    return EventIds.accept(idAndType[0], idAndType[1]);
  }
}
