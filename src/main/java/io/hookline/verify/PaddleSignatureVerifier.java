package io.hookline.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;

/**
 * Paddle Billing: {@code Paddle-Signature: ts=<unix seconds>;h1=<hex HMAC-SHA256>[;h1=...]} over
 * {@code <ts>:<body>}, with the notification destination's secret key. Several {@code h1} appear
 * while a secret is rotated; any match is enough and unknown keys are ignored, but an
 * {@code h1} that is not 64 hex characters makes the whole header malformed. Event id is the
 * body's {@code event_id}, type {@code event_type}.
 */
public final class PaddleSignatureVerifier implements SignatureVerifier {
  static final String HEADER = "Paddle-Signature";
  private static final int SHA256_BYTES = 32;
  private static final JsonFields ID_AND_TYPE = JsonFields.of("/event_id", "/event_type");

  private static final Verification MISSING =
      Verification.rejected(Reason.MISSING_SIGNATURE, "Paddle-Signature header is missing");
  private static final Verification NOT_KEY_VALUE = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "Paddle-Signature header is not a semicolon-separated list of key=value items");
  private static final Verification BAD_TIMESTAMP = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "Paddle-Signature header needs exactly one ts=<unix seconds>");
  private static final Verification NO_H1 = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "Paddle-Signature header has no h1 signature");
  private static final Verification BAD_H1 = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "Paddle-Signature h1 signature is not 64 hex characters");
  private static final Verification NO_MATCH = Verification.rejected(Reason.INVALID_SIGNATURE,
      "Paddle-Signature does not match any active secret for this source");
  private static final Verification STALE = Verification.rejected(Reason.TIMESTAMP_OUT_OF_TOLERANCE,
      "Paddle-Signature timestamp is outside the tolerance window");

  private final HmacKey[] keys;
  private final long toleranceMillis;

  PaddleSignatureVerifier(List<HmacKey> keys, long toleranceMillis) {
    this.keys = keys.toArray(new HmacKey[0]);
    this.toleranceMillis = toleranceMillis;
  }

  @Override
  public Verification verify(WebhookRequest request) {
    HeaderRead header = HeaderRead.of(request, HEADER);
    if (header.problem() != null) {
      return header.problem();
    }
    if (header.absent()) {
      return MISSING;
    }
    String value = header.value();
    int tsFrom = -1;
    int tsTo = -1;
    byte[][] candidates = null;
    int candidateCount = 0;
    int length = value.length();
    int itemStart = 0;
    while (itemStart <= length) {
      int semicolon = value.indexOf(';', itemStart);
      int itemEnd = semicolon < 0 ? length : semicolon;
      int from = Text.skipSpaces(value, itemStart, itemEnd);
      int to = Text.trimSpaces(value, from, itemEnd);
      int eq = value.indexOf('=', from);
      if (eq < 0 || eq >= to || eq == from) {
        return NOT_KEY_VALUE;
      }
      int keyLength = eq - from;
      if (keyLength == 2 && value.startsWith("ts", from)) {
        if (tsFrom >= 0 || Timestamps.parseSeconds(value, eq + 1, to) < 0) {
          return BAD_TIMESTAMP;
        }
        tsFrom = eq + 1;
        tsTo = to;
      } else if (keyLength == 2 && value.startsWith("h1", from)) {
        byte[] signature = Codecs.hex(value, eq + 1, to, SHA256_BYTES);
        if (signature == null) {
          return BAD_H1;
        } else {
          if (candidates == null) {
            candidates = new byte[2][];
          } else if (candidateCount == candidates.length) {
            candidates = Arrays.copyOf(candidates, candidateCount * 2);
          }
          candidates[candidateCount++] = signature;
        }
      }
      itemStart = itemEnd + 1;
    }
    if (tsFrom < 0) {
      return BAD_TIMESTAMP;
    }
    if (candidateCount == 0) {
      return NO_H1;
    }

    byte[] ts = value.substring(tsFrom, tsTo).getBytes(StandardCharsets.US_ASCII);
    byte[] body = request.body();
    long now = request.receivedAtMillis();
    boolean matched = false;
    for (HmacKey key : keys) {
      if (!key.activeAt(now)) {
        continue;
      }
      Mac mac = key.mac();
      mac.update(ts);
      mac.update((byte) ':');
      mac.update(body);
      byte[] expected = mac.doFinal();
      for (int i = 0; i < candidateCount; i++) {
        matched |= MessageDigest.isEqual(expected, candidates[i]);
      }
      if (matched) {
        break;
      }
    }
    if (!matched) {
      return NO_MATCH;
    }
    if (!Timestamps.within(Timestamps.parseSeconds(value, tsFrom, tsTo), now, toleranceMillis)) {
      return STALE;
    }
    String[] idAndType = ID_AND_TYPE.read(body);
    return Verification.accepted(EventIds.id(idAndType[0]), EventIds.clean(idAndType[1]));
  }
}
