package io.hookline.verify;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Slack: {@code X-Slack-Signature: v0=<hex HMAC-SHA256>} over {@code v0:<timestamp>:<body>}, the
 * timestamp from {@code X-Slack-Request-Timestamp} (Slack asks for a 5-minute window). Once (and
 * only once) the signature holds, a {@code url_verification} body is answered as a handshake echoing
 * its {@code challenge}; nothing is stored for it. Event id is the body's {@code event_id} (Slack
 * keeps it on retries), type {@code event.type} or else the top-level {@code type}.
 */
public final class SlackSignatureVerifier implements SignatureVerifier {
  static final String HEADER = "X-Slack-Signature";
  static final String TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";
  private static final String PREFIX = "v0=";
  private static final byte[] VERSION = "v0:".getBytes(StandardCharsets.US_ASCII);
  private static final int SHA256_BYTES = 32;
  private static final JsonFields FIELDS = JsonFields.of("/type", "/challenge", "/event_id", "/event/type");

  private static final Verification MISSING =
      Verification.rejected(Reason.MISSING_SIGNATURE, "X-Slack-Signature header is missing");
  private static final Verification MALFORMED = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "X-Slack-Signature header is not v0=<64 hex characters>");
  private static final Verification MISSING_TIMESTAMP = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "X-Slack-Request-Timestamp header is missing (it is part of the signed content)");
  private static final Verification BAD_TIMESTAMP = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "X-Slack-Request-Timestamp header is not a Unix time in seconds");
  private static final Verification NO_MATCH = Verification.rejected(Reason.INVALID_SIGNATURE,
      "X-Slack-Signature does not match any active signing secret for this source");
  private static final Verification STALE = Verification.rejected(Reason.TIMESTAMP_OUT_OF_TOLERANCE,
      "X-Slack-Request-Timestamp is outside the tolerance window");

  private final HmacKey[] keys;
  private final long toleranceMillis;

  /** The registry's factory: the signing secret used as-is; no options. */
  public static SignatureVerifier create(ProviderSetup setup) {
    setup.options().allowOnly();
    return new SlackSignatureVerifier(setup.rawHmacKeys("HmacSHA256"), setup.toleranceMillis());
  }

  SlackSignatureVerifier(List<HmacKey> keys, long toleranceMillis) {
    this.keys = keys.toArray(new HmacKey[0]);
    this.toleranceMillis = toleranceMillis;
  }

  @Override
  public Verification verify(WebhookRequest request) {
    HeaderRead header = HeaderRead.required(request, HEADER, MISSING);
    if (header.problem() != null) {
      return header.problem();
    }
    String value = header.value();
    int from = header.from();
    int to = header.to();
    if (!value.startsWith(PREFIX, from)) {
      return MALFORMED;
    }
    byte[] provided = Codecs.hex(value, from + PREFIX.length(), to, SHA256_BYTES);
    if (provided == null) {
      return MALFORMED;
    }
    HeaderRead timestampHeader = HeaderRead.required(request, TIMESTAMP_HEADER, MISSING_TIMESTAMP);
    if (timestampHeader.problem() != null) {
      return timestampHeader.problem();
    }
    long timestamp = Timestamps.parseSeconds(timestampHeader.value());
    if (timestamp < 0) {
      return BAD_TIMESTAMP;
    }

    byte[] ts = timestampHeader.value().getBytes(StandardCharsets.US_ASCII);
    byte[] body = request.body();
    long now = request.receivedAtMillis();
    KeyMatch.SignedContent content = mac -> {
      mac.update(VERSION);
      mac.update(ts);
      mac.update((byte) ':');
      mac.update(body);
    };
    if (!KeyMatch.any(keys, now, content, provided)) {
      return NO_MATCH;
    }
    if (!Timestamps.within(timestamp, now, toleranceMillis)) {
      return STALE;
    }
    String[] fields = FIELDS.read(body);
    String type = fields[0];
    String challenge = fields[1];
    if ("url_verification".equals(type) && challenge != null) {
      return Verification.handshake(challengeResponse(challenge), "application/json");
    }
    String eventType = fields[3] != null ? fields[3] : type;
    return EventIds.accept(fields[2], eventType);
  }

  /** {@code {"challenge":"..."}} with the challenge escaped as a JSON string. */
  static byte[] challengeResponse(String challenge) {
    StringBuilder json = new StringBuilder(challenge.length() + 16).append("{\"challenge\":\"");
    for (int i = 0; i < challenge.length(); i++) {
      char c = challenge.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
      } else {
        json.append(c);
      }
    }
    return json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
  }
}
