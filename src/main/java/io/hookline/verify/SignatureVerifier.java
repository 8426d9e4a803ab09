package io.hookline.verify;

/**
 * One provider signature scheme, configured for one source. Implementations are thread-safe,
 * allocation-light and never throw for bad input: every malformed header ends in a
 * {@link Verification#rejected} with the right {@link Reason}.
 */
@FunctionalInterface
public interface SignatureVerifier {
  Verification verify(WebhookRequest request);
}
