package io.hookline.verify;

import java.util.Arrays;
import java.util.List;

/**
 * The "{@code t=<unix seconds>,v1=<hex HMAC-SHA256>[,v1=…]}" family, over {@code <t><sep><body>}:
 * Stripe ({@code t}, {@code v1}, ',' and '.'), Paddle ({@code ts}, {@code h1}, ';' and ':'),
 * Calendly and Mux (Stripe's layout). Several signatures appear while a secret is rolled: any of
 * them matching any active secret is enough; unknown keys ({@code v0}, future schemes) are
 * ignored, but a signature entry that is not 64 hex characters makes the header malformed (a
 * damaged header is refused even if another entry would match). The timestamp is held to the
 * source's tolerance both ways, after the signature matched.
 */
public final class TimestampedScheme implements SignatureVerifier {
  private static final int SHA256_BYTES = 32;

  /**
   * The layout of one provider's header.
   *
   * @param header e.g. {@code Stripe-Signature}
   * @param itemSeparator between {@code key=value} items
   * @param timestampKey e.g. {@code t}
   * @param signatureKey e.g. {@code v1}
   * @param signedSeparator between the timestamp and the body in the signed content
   */
  public record Layout(String header, char itemSeparator, String timestampKey, String signatureKey, char signedSeparator) {
    /** Stripe's: {@code t=…,v1=…} over {@code t.body}. */
    public static Layout stripeStyle(String header) {
      return new Layout(header, ',', "t", "v1", '.');
    }
  }

  private final Layout layout;
  private final HmacKey[] keys;
  private final long toleranceMillis;
  private final EventFields eventFields;
  private final Verification missing;
  private final Verification notKeyValue;
  private final Verification badTimestamp;
  private final Verification noSignature;
  private final Verification badSignature;
  private final Verification noMatch;
  private final Verification stale;

  public TimestampedScheme(Layout layout, List<HmacKey> keys, long toleranceMillis, EventFields eventFields) {
    this.layout = layout;
    this.keys = keys.toArray(new HmacKey[0]);
    this.toleranceMillis = toleranceMillis;
    this.eventFields = eventFields;
    String h = layout.header();
    String separator = layout.itemSeparator() == ',' ? "comma" : layout.itemSeparator() == ';' ? "semicolon" : "'" + layout.itemSeparator() + "'";
    this.missing = Verification.rejected(Reason.MISSING_SIGNATURE, h + " header is missing");
    this.notKeyValue = Verification.rejected(Reason.MALFORMED_SIGNATURE,
        h + " header is not a " + separator + "-separated list of key=value items");
    this.badTimestamp = Verification.rejected(Reason.MALFORMED_SIGNATURE,
        h + " header needs exactly one " + layout.timestampKey() + "=<unix seconds>");
    this.noSignature = Verification.rejected(Reason.MALFORMED_SIGNATURE,
        h + " header has no " + layout.signatureKey() + " signature");
    this.badSignature = Verification.rejected(Reason.MALFORMED_SIGNATURE,
        h + " " + layout.signatureKey() + " signature is not 64 hex characters");
    this.noMatch = Verification.rejected(Reason.INVALID_SIGNATURE,
        h + " does not match any active secret for this source");
    this.stale = Verification.rejected(Reason.TIMESTAMP_OUT_OF_TOLERANCE,
        h + " timestamp is outside the tolerance window");
  }

  @Override
  public Verification verify(WebhookRequest request) {
    HeaderRead header = HeaderRead.required(request, layout.header(), missing);
    if (header.problem() != null) {
      return header.problem();
    }
    String value = header.value();
    String timestampKey = layout.timestampKey();
    String signatureKey = layout.signatureKey();
    char itemSeparator = layout.itemSeparator();
    int tFrom = -1;
    int tTo = -1;
    byte[][] candidates = null;
    int candidateCount = 0;
    int length = value.length();
    int itemStart = 0;
    while (itemStart <= length) {
      int separator = value.indexOf(itemSeparator, itemStart);
      int itemEnd = separator < 0 ? length : separator;
      int from = Text.skipSpaces(value, itemStart, itemEnd);
      int to = Text.trimSpaces(value, from, itemEnd);
      int eq = value.indexOf('=', from);
      if (eq < 0 || eq >= to || eq == from) {
        return notKeyValue;
      }
      int keyLength = eq - from;
      if (keyLength == timestampKey.length() && value.startsWith(timestampKey, from)) {
        if (tFrom >= 0 || Timestamps.parseSeconds(value, eq + 1, to) < 0) {
          return badTimestamp;
        }
        tFrom = eq + 1;
        tTo = to;
      } else if (keyLength == signatureKey.length() && value.startsWith(signatureKey, from)) {
        byte[] signature = Codecs.hex(value, eq + 1, to, SHA256_BYTES);
        if (signature == null) {
          return badSignature;
        }
        if (candidates == null) {
          candidates = new byte[4][];
        } else if (candidateCount == candidates.length) {
          candidates = Arrays.copyOf(candidates, candidateCount * 2);
        }
        candidates[candidateCount++] = signature;
      }
      itemStart = itemEnd + 1;
    }
    if (tFrom < 0) {
      return badTimestamp;
    }
    if (candidateCount == 0) {
      return noSignature;
    }

    byte[] prefix = Text.signedPrefix(value, tFrom, tTo, layout.signedSeparator());
    byte[] body = request.body();
    long now = request.receivedAtMillis();
    KeyMatch.SignedContent content = mac -> {
      mac.update(prefix);
      mac.update(body);
    };
    if (!KeyMatch.any(keys, now, content, candidates, candidateCount)) {
      return noMatch;
    }
    if (!Timestamps.within(Timestamps.parseSeconds(value, tFrom, tTo), now, toleranceMillis)) {
      return stale;
    }
    return eventFields.accept(request);
  }
}
