package io.hookline.verify;

/**
 * The check shared by schemes whose one header carries {@code <prefix><hex or base64 HMAC of the
 * raw body>} (Meta, Dropbox, X, WooCommerce): the rejections are built once per scheme, so each
 * verifier only adds its id, type and handshakes.
 */
final class BodyHmacCheck {
  private final String header;
  private final String prefix;
  private final boolean base64;
  private final int macBytes;
  private final HmacKey[] keys;
  private final Verification missing;
  private final Verification malformed;
  private final Verification noMatch;

  BodyHmacCheck(String header, String prefix, boolean base64, HmacKey[] keys) {
    this.header = header;
    this.prefix = prefix;
    this.base64 = base64;
    this.keys = keys;
    this.macBytes = keys[0].macLength();
    this.missing = Verification.rejected(Reason.MISSING_SIGNATURE, header + " header is missing");
    this.malformed = Verification.rejected(Reason.MALFORMED_SIGNATURE, header + " header is not " + prefix
        + "<" + (base64 ? "base64" : "hex") + " of a " + macBytes + "-byte HMAC>");
    this.noMatch = Verification.rejected(Reason.INVALID_SIGNATURE,
        header + " does not match any active secret for this source");
  }

  /** Null when the header holds a signature of the body by an active secret, else the rejection. */
  Verification check(WebhookRequest request) {
    HeaderRead read = HeaderRead.required(request, header, missing);
    if (read.problem() != null) {
      return read.problem();
    }
    int from = read.from();
    int to = read.to();
    byte[] provided = base64
        ? SchemeParts.prefixedBase64(read.value(), from, to, prefix, macBytes)
        : SchemeParts.prefixedHex(read.value(), from, to, prefix, macBytes);
    if (provided == null) {
      return malformed;
    }
    byte[] body = request.body();
    return KeyMatch.any(keys, request.receivedAtMillis(), mac -> mac.update(body), provided) ? null : noMatch;
  }

  HmacKey[] keys() {
    return keys;
  }
}
