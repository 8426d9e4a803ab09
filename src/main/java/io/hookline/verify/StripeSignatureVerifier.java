package io.hookline.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import javax.crypto.Mac;

/**
 * Stripe: {@code Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>[,v1=...][,v0=...]} over
 * {@code <t>.<body>}. Stripe sends several {@code v1} while the endpoint's secret is being rolled,
 * so any of them matching any active secret is enough; other schemes ({@code v0}, future ones) are
 * ignored, but a {@code v1} that is not 64 hex characters makes the whole header malformed
 * (a damaged header is refused even if another entry would match). Event id is the body's {@code id}, type its {@code type}.
 */
public final class StripeSignatureVerifier implements SignatureVerifier {
  static final String HEADER = "Stripe-Signature";
  private static final int SHA256_BYTES = 32;
  private static final JsonFields ID_AND_TYPE = JsonFields.of("/id", "/type");

  private static final Verification MISSING =
      Verification.rejected(Reason.MISSING_SIGNATURE, "Stripe-Signature header is missing");
  private static final Verification NOT_KEY_VALUE = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "Stripe-Signature header is not a comma-separated list of key=value items");
  private static final Verification BAD_TIMESTAMP = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "Stripe-Signature header needs exactly one t=<unix seconds>");
  private static final Verification NO_V1 = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "Stripe-Signature header has no v1 signature");
  private static final Verification BAD_V1 = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "Stripe-Signature v1 signature is not 64 hex characters");
  private static final Verification NO_MATCH = Verification.rejected(Reason.INVALID_SIGNATURE,
      "Stripe-Signature does not match any active secret for this source");
  private static final Verification STALE = Verification.rejected(Reason.TIMESTAMP_OUT_OF_TOLERANCE,
      "Stripe-Signature timestamp is outside the tolerance window");

  private final HmacKey[] keys;
  private final long toleranceMillis;

  StripeSignatureVerifier(List<HmacKey> keys, long toleranceMillis) {
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
    int tFrom = -1;
    int tTo = -1;
    byte[][] candidates = null;
    int candidateCount = 0;

    int itemStart = 0;
    int length = value.length();
    while (itemStart <= length) {
      int comma = value.indexOf(',', itemStart);
      int itemEnd = comma < 0 ? length : comma;
      int from = Text.skipSpaces(value, itemStart, itemEnd);
      int to = Text.trimSpaces(value, from, itemEnd);
      int eq = value.indexOf('=', from);
      if (eq < 0 || eq >= to || eq == from) {
        return NOT_KEY_VALUE;
      }
      int keyLength = eq - from;
      if (keyLength == 1 && value.charAt(from) == 't') {
        if (tFrom >= 0 || Timestamps.parseSeconds(value, eq + 1, to) < 0) {
          return BAD_TIMESTAMP;
        }
        tFrom = eq + 1;
        tTo = to;
      } else if (keyLength == 2 && value.charAt(from) == 'v' && value.charAt(from + 1) == '1') {
        byte[] signature = Codecs.hex(value, eq + 1, to, SHA256_BYTES);
        if (signature == null) {
          return BAD_V1;
        } else {
          if (candidates == null) {
            candidates = new byte[4][];
          } else if (candidateCount == candidates.length) {
            candidates = java.util.Arrays.copyOf(candidates, candidateCount * 2);
          }
          candidates[candidateCount++] = signature;
        }
      }
      itemStart = itemEnd + 1;
    }
    if (tFrom < 0) {
      return BAD_TIMESTAMP;
    }
    if (candidateCount == 0) {
      return NO_V1;
    }

    byte[] timestamp = value.substring(tFrom, tTo).getBytes(StandardCharsets.US_ASCII);
    byte[] body = request.body();
    long now = request.receivedAtMillis();
    boolean matched = false;
    for (HmacKey key : keys) {
      if (!key.activeAt(now)) {
        continue;
      }
      Mac mac = key.mac();
      mac.update(timestamp);
      mac.update((byte) '.');
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
    if (!Timestamps.within(Timestamps.parseSeconds(value, tFrom, tTo), now, toleranceMillis)) {
      return STALE;
    }
    String[] idAndType = ID_AND_TYPE.read(body);
    return Verification.accepted(EventIds.id(idAndType[0]), EventIds.clean(idAndType[1]));
  }
}
