package io.hookline.verify;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Twitch EventSub: {@code Twitch-Eventsub-Message-Signature: sha256=<hex HMAC-SHA256>} over
 * message id + timestamp (RFC 3339, as sent) + raw body, with the subscription's secret; Twitch
 * says to drop messages older than 10 minutes (the provider's default tolerance). A
 * {@code webhook_callback_verification} message (signed like any other) is answered with its
 * {@code challenge} as text/plain and not stored. Id is the message id, type the subscription type.
 */
public final class TwitchSignatureVerifier implements SignatureVerifier {
  static final String ID_HEADER = "Twitch-Eventsub-Message-Id";
  static final String TIMESTAMP_HEADER = "Twitch-Eventsub-Message-Timestamp";
  static final String SIGNATURE_HEADER = "Twitch-Eventsub-Message-Signature";
  static final String MESSAGE_TYPE_HEADER = "Twitch-Eventsub-Message-Type";
  static final String SUBSCRIPTION_TYPE_HEADER = "Twitch-Eventsub-Subscription-Type";
  private static final JsonFields CHALLENGE = JsonFields.of("/challenge");

  private static final Verification MISSING = Verification.rejected(Reason.MISSING_SIGNATURE,
      "Twitch-Eventsub-Message-Signature, -Id or -Timestamp header is missing");
  private static final Verification MALFORMED = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "Twitch-Eventsub-Message-Signature is not sha256=<64 hex characters>");
  private static final Verification BAD_TIMESTAMP = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "Twitch-Eventsub-Message-Timestamp is not an RFC 3339 time");
  private static final Verification NO_MATCH = Verification.rejected(Reason.INVALID_SIGNATURE,
      "Twitch-Eventsub-Message-Signature does not match any active secret of this source");
  private static final Verification STALE = Verification.rejected(Reason.TIMESTAMP_OUT_OF_TOLERANCE,
      "Twitch-Eventsub-Message-Timestamp is outside the tolerance window");
  private static final Verification NO_CHALLENGE = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "webhook_callback_verification without a usable challenge");

  private final HmacKey[] keys;
  private final long toleranceMillis;

  TwitchSignatureVerifier(HmacKey[] keys, long toleranceMillis) {
    this.keys = keys;
    this.toleranceMillis = toleranceMillis;
  }

  @Override
  public Verification verify(WebhookRequest request) {
    SignatureAndTimestamp headers = SignatureAndTimestamp.read(request, SIGNATURE_HEADER, TIMESTAMP_HEADER, MISSING);
    if (headers.problem() != null) {
      return headers.problem();
    }
    HeaderRead id = HeaderRead.eventId(request, ID_HEADER);
    if (id.problem() != null) {
      return id.problem();
    }
    if (id.absent()) {
      return MISSING;
    }
    HeaderRead signature = headers.signature();
    HeaderRead timestamp = headers.timestamp();
    byte[] provided = SchemeParts.prefixedHex(signature.value(), signature.from(), signature.to(), "sha256=", 32);
    if (provided == null) {
      return MALFORMED;
    }
    long sentAtMillis = Timestamps.fastRfc3339Millis(headers.timestampText());
    if (sentAtMillis == Timestamps.NOT_FAST) {
      try {
        sentAtMillis = Instant.parse(timestamp.value().trim()).toEpochMilli();
      } catch (DateTimeParseException | ArithmeticException e) {
        return BAD_TIMESTAMP;
      }
    }
    byte[] prefix = Text.signedPrefix(id.value(), Text.NONE, timestamp.value(), Text.NONE);
    byte[] body = request.body();
    long now = request.receivedAtMillis();
    HmacKey key = SchemeParts.matching(keys, now, mac -> {
      mac.update(prefix);
      mac.update(body);
    }, provided);
    if (key == null) {
      return NO_MATCH;
    }
    long diff = sentAtMillis - now;
    if (diff > toleranceMillis || diff < -toleranceMillis) {
      return STALE;
    }
    HeaderRead messageType = HeaderRead.of(request, MESSAGE_TYPE_HEADER);
    if (messageType.problem() != null) {
      return messageType.problem();
    }
    if ("webhook_callback_verification".equals(messageType.value())) {
      String challenge = CHALLENGE.read(body)[0];
      if (!SchemeParts.echoable(challenge)) {
        return NO_CHALLENGE;
      }
      return Verification.handshake(SchemeParts.utf8(challenge), "text/plain");
    }
    HeaderRead type = HeaderRead.of(request, SUBSCRIPTION_TYPE_HEADER);
    if (type.problem() != null) {
      return type.problem();
    }
    return EventIds.accept(id.value(), type.value());
  }
}
