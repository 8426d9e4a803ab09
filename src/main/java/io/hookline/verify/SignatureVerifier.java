package io.hookline.verify;

import java.util.List;

/**
 * One provider signature scheme, configured for one source. Implementations are thread-safe,
 * allocation-light and never throw for bad input: every malformed header ends in a
 * {@link Verification#rejected} with the right {@link Reason}.
 */
@FunctionalInterface
public interface SignatureVerifier {
  Verification verify(WebhookRequest request);

  /**
   * The answer to {@code GET /webhooks/{sourceId}}, for providers that check an endpoint with a
   * GET (Meta {@code hub.challenge}, Dropbox {@code challenge}, X {@code crc_token}, Okta): a
   * {@link Verification#handshake} to send, or a {@link Verification#rejected} (wrong token: 401/403
   * with a reason). Null, the default, means the provider has no GET handshake: 405. Nothing a GET
   * answers is ever stored.
   */
  default Verification answerGet(WebhookRequest request) {
    return null;
  }

  /** Headers that carry the secret itself (an API key, a token): never stored with the event. */
  default List<String> credentialHeaders() {
    return List.of();
  }
}
