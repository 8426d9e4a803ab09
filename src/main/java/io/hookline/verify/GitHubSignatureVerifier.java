package io.hookline.verify;

import java.util.List;

/**
 * GitHub: {@code X-Hub-Signature-256: sha256=<64 hex>}, HMAC-SHA256 of the body. GitHub signs no
 * timestamp, so there is no replay window; dedup on {@code X-GitHub-Delivery} (which GitHub keeps
 * on redeliveries) is what stops repeats. The legacy SHA-1 {@code X-Hub-Signature} is deliberately
 * not accepted.
 */
public final class GitHubSignatureVerifier implements SignatureVerifier {
  static final String HEADER = "X-Hub-Signature-256";
  static final String DELIVERY_HEADER = "X-GitHub-Delivery";
  static final String EVENT_HEADER = "X-GitHub-Event";
  private static final String PREFIX = "sha256=";
  private static final int SHA256_BYTES = 32;

  private static final Verification MISSING =
      Verification.rejected(Reason.MISSING_SIGNATURE, "X-Hub-Signature-256 header is missing");
  private static final Verification MALFORMED = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "X-Hub-Signature-256 header is not sha256=<64 hex characters>");
  private static final Verification NO_MATCH = Verification.rejected(Reason.INVALID_SIGNATURE,
      "X-Hub-Signature-256 does not match any active secret for this source");

  private final HmacKey[] keys;

  /** The registry's factory: the secrets used as-is; no options. */
  public static SignatureVerifier create(ProviderSetup setup) {
    setup.options().allowOnly();
    return new GitHubSignatureVerifier(setup.rawHmacKeys("HmacSHA256"));
  }

  GitHubSignatureVerifier(List<HmacKey> keys) {
    this.keys = keys.toArray(new HmacKey[0]);
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
    byte[] body = request.body();
    if (!KeyMatch.any(keys, request.receivedAtMillis(), mac -> mac.update(body), provided)) {
      return NO_MATCH;
    }
    HeaderRead delivery = HeaderRead.eventId(request, DELIVERY_HEADER);
    if (delivery.problem() != null) {
      return delivery.problem();
    }
    HeaderRead event = HeaderRead.of(request, EVENT_HEADER);
    if (event.problem() != null) {
      return event.problem();
    }
    return EventIds.accept(delivery.value(), event.value());
  }
}
